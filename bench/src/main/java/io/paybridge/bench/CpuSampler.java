package io.paybridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the machine's CPU time goes during a phase: this JVM (load generator, Kafka consumer and
 * the embedded Kafka broker), the service's JVM (and of it, its JIT compiler threads and its
 * garbage collector's threads), the PostgreSQL processes, and everything else on the machine (other
 * builds and tests), from {@code /proc}.
 */
final class CpuSampler {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private final long servicePid;
  private final long postmasterPid;

  /** CPU seconds used in an interval, and the interval's wall-clock length. */
  record Usage(
      double wallSeconds,
      double machineBusy,
      double machineCapacity,
      double bench,
      double service,
      double serviceCompilers,
      double serviceGc,
      double postgres,
      double interrupts,
      List<String> busiestOthers) {

    /** Other processes: busy time less interrupts (irq, softirq, steal) less ours. */
    double other() {
      return Math.max(0, machineBusy - interrupts - bench - service - postgres);
    }

    /**
     * Cores used by bench / service / postgres / other, e.g. "0.41 / 0.93 (JIT 0.20, GC 0.05) /
     * 0.38 / 0.12; irq+softirq+steal 0.03 (busy 97%)".
     */
    String describe() {
      if (wallSeconds <= 0) {
        return "n/a";
      }
      return String.format(
          "%.2f / %.2f (JIT %.2f, GC %.2f) / %.2f / %.2f; irq+softirq+steal %.2f (busy %.0f%%)",
          bench / wallSeconds,
          service / wallSeconds,
          serviceCompilers / wallSeconds,
          serviceGc / wallSeconds,
          postgres / wallSeconds,
          other() / wallSeconds,
          interrupts / wallSeconds,
          100 * machineBusy / Math.max(1e-9, machineCapacity));
    }
  }

  /** A point-in-time reading; {@code others}: pid to (comm, ticks) of every other process. */
  record Sample(
      long nanos,
      long machineBusyTicks,
      long machineTotalTicks,
      long interruptTicks,
      long bench,
      long service,
      Map<Long, Long> serviceCompilers,
      Map<Long, Long> serviceGc,
      Map<Long, Long> pg,
      Map<Long, Map.Entry<String, Long>> others) {

    Usage since(Sample before) {
      double wall = (nanos - before.nanos) / 1e9;
      var busiest =
          others.entrySet().stream()
              .map(
                  e -> {
                    var earlier = before.others.get(e.getKey());
                    long used =
                        e.getValue().getValue()
                            - (earlier == null ? 0 : earlier.getValue().longValue());
                    return Map.entry(e.getValue().getKey() + " (pid " + e.getKey() + ")", used);
                  })
              .filter(e -> e.getValue() > 0)
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .limit(3)
              .map(
                  e -> String.format("%s %.2f", e.getKey(), e.getValue() / TICKS_PER_SECOND / wall))
              .toList();
      return new Usage(
          wall,
          (machineBusyTicks - before.machineBusyTicks) / TICKS_PER_SECOND,
          (machineTotalTicks - before.machineTotalTicks) / TICKS_PER_SECOND,
          (bench - before.bench) / TICKS_PER_SECOND,
          (service - before.service) / TICKS_PER_SECOND,
          since(serviceCompilers, before.serviceCompilers) / TICKS_PER_SECOND,
          since(serviceGc, before.serviceGc) / TICKS_PER_SECOND,
          since(pg, before.pg) / TICKS_PER_SECOND,
          (interruptTicks - before.interruptTicks) / TICKS_PER_SECOND,
          busiest);
    }

    /**
     * Ticks used since {@code before} by the processes or threads of {@code now}, each counted from
     * its own earlier reading: one that ended in between must not count negative (what it used in
     * the interval is not counted).
     */
    private static long since(Map<Long, Long> now, Map<Long, Long> before) {
      return now.entrySet().stream()
          .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L))
          .sum();
    }
  }

  /**
   * @param servicePid the service's process, 0 when it is not running
   * @param postmasterPid PostgreSQL's postmaster; its children are the backends, the WAL writer and
   *     the WAL senders
   */
  CpuSampler(long servicePid, long postmasterPid) {
    this.servicePid = servicePid;
    this.postmasterPid = postmasterPid;
  }

  CpuSampler withService(long pid) {
    return new CpuSampler(pid, postmasterPid);
  }

  Sample sample() {
    long[] machine = machineTicks();
    long self = ProcessHandle.current().pid();
    var postgresPids = new java.util.HashSet<Long>();
    if (postmasterPid > 0) {
      postgresPids.add(postmasterPid);
      ProcessHandle.of(postmasterPid).stream()
          .flatMap(ProcessHandle::descendants)
          .forEach(p -> postgresPids.add(p.pid()));
    }
    var postgres = new HashMap<Long, Long>();
    postgresPids.forEach(pid -> postgres.put(pid, processTicks(pid)));
    var others = new HashMap<Long, Map.Entry<String, Long>>();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self && p.pid() != servicePid && !postgresPids.contains(p.pid()))
        .forEach(
            p -> {
              String comm = comm(p.pid());
              long ticks = processTicks(p.pid());
              if (ticks > 0) {
                others.put(p.pid(), Map.entry(comm, ticks));
              }
            });
    var compilers = new HashMap<Long, Long>();
    var gc = new HashMap<Long, Long>();
    if (servicePid > 0) {
      readServiceThreads(compilers, gc);
    }
    return new Sample(
        System.nanoTime(),
        machine[0],
        machine[1],
        machine[2],
        processTicks(self),
        servicePid > 0 ? processTicks(servicePid) : 0,
        compilers,
        gc,
        postgres,
        others);
  }

  /**
   * The ticks of the service's compiler and garbage collector threads, by thread id, told apart by
   * HotSpot's thread names ("C1 CompilerThre…", "C2 CompilerThre…"; "GC Thread#…", "G1 …").
   * Compiler threads beyond the first of each kind come and go with the JIT's queue: what an ended
   * thread used is not counted.
   */
  private void readServiceThreads(Map<Long, Long> compilers, Map<Long, Long> gc) {
    try (var tasks = Files.list(Path.of("/proc", String.valueOf(servicePid), "task"))) {
      tasks.forEach(
          task -> {
            try {
              String stat = Files.readString(task.resolve("stat"));
              String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
              var kind =
                  name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")
                      ? compilers
                      : name.startsWith("GC Thread") || name.startsWith("G1 ") ? gc : null;
              if (kind != null) {
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                kind.put(
                    Long.parseLong(task.getFileName().toString()),
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
              }
            } catch (IOException | RuntimeException gone) {
              // the thread ended while being read
            }
          });
    } catch (IOException | RuntimeException gone) {
      // the service ended
    }
  }

  private static String comm(long pid) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).strip();
    } catch (IOException e) {
      return "?";
    }
  }

  /** {busy, total} ticks of all CPUs since boot. */
  private static long[] machineTicks() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(fields.length, 9); i++) {
        total += Long.parseLong(fields[i]);
      }
      long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
      // irq, softirq (loopback networking is processed here), steal (the hypervisor's)
      long interrupts =
          Long.parseLong(fields[6]) + Long.parseLong(fields[7]) + Long.parseLong(fields[8]);
      return new long[] {total - idle, total, interrupts};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0, 0};
    }
  }

  /** utime + stime of a process (its threads included), in ticks; 0 when it is gone. */
  private static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The 1-minute load average and the number of runnable tasks, from /proc/loadavg. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0];
    } catch (IOException e) {
      return "?";
    }
  }

  /** The busiest processes on the machine now (name and CPU share since they started). */
  static List<String> busiestProcesses(int limit) {
    try {
      var process =
          new ProcessBuilder("ps", "-eo", "pcpu,etime,comm", "--sort=-pcpu")
              .redirectErrorStream(true)
              .start();
      var lines = new String(process.getInputStream().readAllBytes()).lines().toList();
      process.waitFor();
      return lines.stream().skip(1).limit(limit).map(String::strip).toList();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }
}
