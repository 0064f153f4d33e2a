package io.paybridge.bench;

import static io.paybridge.bench.PhaseResult.number;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Why the run missed a target, in the run's own figures: the report says which target is not met
 * and why. Each reason is arithmetic on what the phase measured (where the machine's cores went,
 * which five-second windows carried the tail, how late the generator itself sent, the service's own
 * timing of its refusals) and claims no more than those figures show.
 */
final class Shortfalls {

  /** Busier than this over a saturation phase, the machine's cores were its limit. */
  static final double CPU_BOUND = 0.90;

  /** The bound of the service's refusal timer that the refusal target is read at (50 ms). */
  static final double REFUSAL_BOUND_SECONDS = 0.05;

  private Shortfalls() {}

  /**
   * A throughput target missed at saturation (closed loop): whether the cores were the limit, and
   * then how much CPU per webhook (or event, for batches) the target allows on the cores the
   * benchmark's own side leaves; otherwise the clients' mean round trip (Little's law).
   *
   * @param target webhooks/s, or events/s for a phase of batches
   * @param clients the closed loop's concurrent clients
   * @param baselineRate the same-run baseline, in the target's unit
   */
  static String throughput(PhaseResult phase, double target, int clients, double baselineRate) {
    String failures =
        phase.failureCount() == 0
            ? ""
            : String.format(
                " %d requests failed (neither a 204 nor a refusal by design): %s.",
                phase.failureCount(), phase.errors());
    return cpuLimit(phase, target, clients, baselineRate) + failures;
  }

  private static String cpuLimit(
      PhaseResult phase, double target, int clients, double baselineRate) {
    String unit = phase.eventsPerWebhook() == 1 ? "webhook" : "event";
    var cpu = phase.cpu();
    long units = phase.acked() * phase.eventsPerWebhook();
    if (cpu.wallSeconds() <= 0 || units == 0) {
      return "The phase acknowledged nothing.";
    }
    double wall = cpu.wallSeconds();
    double cores = cpu.machineCapacity() / wall;
    double busy = cpu.machineBusy() / cpu.machineCapacity();
    String scale =
        String.format(
            " For scale: the service's SQL alone over JDBC (the baseline) reached %s %ss/s.",
            number(baselineRate), unit);
    if (busy < CPU_BOUND) {
      return String.format(
          "The cores were not the limit: %.0f cores, %.0f %% busy. %d clients, each sending when its"
              + " previous answer came, made %s webhooks/s: %.1f ms per round trip on average"
              + " (Little's law), spent waiting more than computing%s.%s",
          cores,
          100 * busy,
          clients,
          number(phase.webhooksPerSecond()),
          1000.0 * clients / phase.webhooksPerSecond(),
          phase.refusedCount() == 0
              ? ""
              : String.format("; %d requests were refused by design", phase.refusedCount()),
          scale);
    }
    double benchCores = cpu.bench() / wall;
    double otherCores = cpu.other() / wall;
    double interruptCores = cpu.interrupts() / wall;
    double left = cores - benchCores - otherCores - interruptCores;
    double serviceMs = 1000 * cpu.service() / units;
    double postgresMs = 1000 * cpu.postgres() / units;
    double usedMs = serviceMs + postgresMs;
    double neededMs = 1000 * left / target;
    return String.format(
        "The cores were the limit: %.0f cores, %.0f %% busy. The benchmark's own JVM (load generator,"
            + " Kafka broker and consumer) took %.2f of a core, other processes %.2f and interrupts"
            + " %.2f, leaving %.2f to the service and PostgreSQL, which used %.3f and %.3f ms of CPU"
            + " per %s acknowledged: at most %s %ss/s on those cores. %s/s on them needs %.3f ms"
            + " per %s or less, %.0f %% less CPU than this run's, or more cores.%s",
        cores,
        100 * busy,
        benchCores,
        otherCores,
        interruptCores,
        left,
        serviceMs,
        postgresMs,
        unit,
        number(1000 * left / usedMs),
        unit,
        number(target),
        neededMs,
        unit,
        100 * (1 - neededMs / usedMs),
        scale);
  }

  /**
   * A fixed-rate throughput target missed although saturation reached it: the open loop's figures,
   * the cores' use against the saturation phase's, and the windows' refusals and the generator's
   * delays.
   *
   * @param rate the fixed phase's offered rate, in webhooks/s
   */
  static String fixedRate(PhaseResult fixed, PhaseResult saturation, double rate) {
    boolean batches = fixed.eventsPerWebhook() > 1;
    var windows = fixed.timeline();
    var latest =
        windows.stream()
            .max(java.util.Comparator.comparingLong(PhaseWindow::sendLateNanos))
            .orElse(null);
    return String.format(
        "Reached at saturation, not kept up with at a fixed %s %s/s: %s/s answered 204, %d refused"
            + " by design and %d failed, ack p99 %s ms. The cores were %.0f %% busy (%.0f %% at"
            + " saturation): the benchmark's own JVM took %.2f of a core (%.2f at saturation), and"
            + " the service used %.3f ms of CPU per webhook answered 204 (%.3f at saturation; the"
            + " refusals it answered count in it). Refusals came in %d of %d five-second"
            + " windows%s.",
        number(batches ? rate * fixed.eventsPerWebhook() : rate),
        batches ? "events" : "webhooks",
        number(batches ? fixed.eventsPerSecond() : fixed.webhooksPerSecond()),
        fixed.refusedCount(),
        fixed.failureCount(),
        PhaseResult.ms(fixed.ackMicros(), 99),
        100 * busy(fixed),
        100 * busy(saturation),
        cores(fixed, fixed.cpu().bench()),
        cores(saturation, saturation.cpu().bench()),
        cpuMsPerAck(fixed),
        cpuMsPerAck(saturation),
        windows.stream().filter(w -> w.refused() > 0).count(),
        windows.size(),
        latest == null || latest.sendLateNanos() < 1_000_000
            ? ""
            : String.format(
                "; the generator sent up to %.1f ms late (in the window to t=%.0fs)",
                latest.sendLateMillis(), latest.endSeconds()));
  }

  private static double cores(PhaseResult phase, double cpuSeconds) {
    return phase.cpu().wallSeconds() <= 0 ? 0 : cpuSeconds / phase.cpu().wallSeconds();
  }

  private static double cpuMsPerAck(PhaseResult phase) {
    return phase.acked() == 0 ? 0 : 1000 * phase.cpu().service() / phase.acked();
  }

  /**
   * An ack latency target missed at a fixed rate: which five-second windows carried the tail, and,
   * for each, whether the service was slow from the actual send or the generator sent late (it
   * shares the cores, and the ack is timed from the intended send).
   */
  static String latency(PhaseResult phase, long targetMicros) {
    var text =
        new StringBuilder(
            String.format(
                "p99 %s ms against %s ms; from the actual send (leaving out the generator's own"
                    + " delays) %s ms.",
                PhaseResult.ms(phase.ackMicros(), 99),
                PhaseResult.millis(targetMicros),
                PhaseResult.ms(phase.ackFromSendMicros(), 99)));
    var windows = phase.timeline().stream().filter(w -> w.acks() > 0).toList();
    var over = windows.stream().filter(w -> w.ackP99() > targetMicros).toList();
    if (windows.isEmpty()) {
      return text.append(" No window had an answer.").toString();
    }
    if (over.isEmpty()) {
      text.append(
          String.format(
              " No five-second window's p99 was above %s ms (the highest %s ms).",
              PhaseResult.millis(targetMicros),
              PhaseResult.millis(windows.stream().mapToLong(PhaseWindow::ackP99).max().orElse(0))));
    } else {
      var under = windows.stream().filter(w -> w.ackP99() <= targetMicros).toList();
      text.append(
          String.format(
              " %d of %d five-second windows had a p99 above %s ms (%s)%s.",
              over.size(),
              windows.size(),
              PhaseResult.millis(targetMicros),
              over.stream()
                  .map(
                      w ->
                          String.format(
                              "%s ms at t=%.0fs", PhaseResult.millis(w.ackP99()), w.endSeconds()))
                  .collect(Collectors.joining(", ")),
              under.isEmpty()
                  ? ": the whole phase, not bursts"
                  : String.format(
                      "; the other %d had %s–%s ms",
                      under.size(),
                      PhaseResult.millis(
                          under.stream().mapToLong(PhaseWindow::ackP99).min().orElse(0)),
                      PhaseResult.millis(
                          under.stream().mapToLong(PhaseWindow::ackP99).max().orElse(0)))));
      var generators = over.stream().filter(w -> w.ackFromSendP99() <= targetMicros).toList();
      var services = over.stream().filter(w -> w.ackFromSendP99() > targetMicros).toList();
      if (!generators.isEmpty()) {
        text.append(
            String.format(
                " In %s the p99 from the actual send was within %s ms and the generator sent up to"
                    + " %.1f ms late: that excess is the generator's delay on the shared cores, not"
                    + " the service's.",
                windowsNamed(generators, over.size()),
                PhaseResult.millis(targetMicros),
                generators.stream().mapToDouble(PhaseWindow::sendLateMillis).max().orElse(0)));
      }
      if (!services.isEmpty()) {
        text.append(
            String.format(
                " In %s the p99 from the actual send was above %s ms too (%s ms): the service"
                    + " answered slowly there.",
                windowsNamed(services, over.size()),
                PhaseResult.millis(targetMicros),
                services.stream()
                    .map(w -> PhaseResult.millis(w.ackFromSendP99()))
                    .collect(Collectors.joining(", "))));
      }
    }
    var times = phase.serviceTimes();
    if (!times.answeredP99().isEmpty()) {
      text.append(
          String.format(
              " By the service's own timers, the webhooks answered 204 took p99 %s from Spring's"
                  + " first filter to the answer (the rest of the time from the send passed before:"
                  + " the connection, Jetty's read, a thread to run it)",
              times.answeredP99()));
    }
    if (!times.groupWaitP99().isEmpty() && !times.groupTransactionP99().isEmpty()) {
      text.append(
          String.format(
              "%s a delivery's wait for its group's transaction had a p99 %s and the transactions"
                  + " (from taking a connection to the commit) %s.",
              times.answeredP99().isEmpty() ? " By the service's own timers," : "; of it,",
              times.groupWaitP99(),
              times.groupTransactionP99()));
    } else if (!times.answeredP99().isEmpty()) {
      text.append('.');
    }
    text.append(
        String.format(
            " Over the phase the service's GC paused %d times (%.2f s in all), its JIT compilers"
                + " used %.2f of a core, and the cores were %.0f %% busy.",
            times.gcPauses(),
            times.gcSeconds(),
            phase.cpu().wallSeconds() <= 0
                ? 0
                : phase.cpu().serviceCompilers() / phase.cpu().wallSeconds(),
            100 * busy(phase)));
    return text.toString();
  }

  /**
   * The phase at a multiple of the saturation rate: which of its parts failed, the accepted
   * requests' windows, and the refusals as the service timed them against the generator's clock.
   */
  static String overload(PhaseResult phase, long acceptedTargetMicros, long refusedTargetMicros) {
    List<String> parts = new ArrayList<>();
    var accepted = phase.ackFromSendMicros();
    if (accepted.getTotalCount() == 0) {
      parts.add("No request was accepted.");
    } else if (accepted.getValueAtPercentile(99) > acceptedTargetMicros) {
      var windows = phase.timeline().stream().filter(w -> w.acks() > 0).toList();
      var over = windows.stream().filter(w -> w.ackFromSendP99() > acceptedTargetMicros).toList();
      parts.add(
          String.format(
              "Accepted p99 %s ms from the actual send against %s ms; by five-second window %s ms:"
                  + " %d of %d above it%s. The cores were %.0f %% busy.",
              PhaseResult.ms(accepted, 99),
              PhaseResult.millis(acceptedTargetMicros),
              windows.stream()
                  .map(w -> PhaseResult.millis(w.ackFromSendP99()))
                  .collect(Collectors.joining(", ")),
              over.size(),
              windows.size(),
              over.isEmpty()
                  ? ""
                  : String.format(
                      ", the first ending at t=%.0fs, the last at t=%.0fs",
                      over.getFirst().endSeconds(), over.getLast().endSeconds()),
              100 * busy(phase)));
    }
    var refused = phase.refusedMicros();
    if (refused.getTotalCount() > 0 && refused.getValueAtPercentile(99) >= refusedTargetMicros) {
      var timing = phase.serviceTimes().refusals();
      String generator =
          String.format(
              "Refused p99 %s ms by the generator's clock, from its send.",
              PhaseResult.ms(refused, 99));
      if (timing == null || timing.count() == 0) {
        parts.add(generator + " The service's own timing of them was not read.");
      } else if (timing.shareWithin() >= 0.99) {
        parts.add(
            String.format(
                "%s The service timed %d of them itself, from its first read of the request to its"
                    + " answer: %.1f %% within %s ms. The difference passed before the service read"
                    + " the request: in the connection's queue, or waiting for a core (the cores"
                    + " were %.0f %% busy, and the generator, on the same cores, sent up to %.1f ms"
                    + " late).",
                generator,
                timing.count(),
                100 * timing.shareWithin(),
                PhaseResult.millis(refusedTargetMicros),
                100 * busy(phase),
                phase.timeline().stream()
                    .mapToDouble(PhaseWindow::sendLateMillis)
                    .max()
                    .orElse(0)));
      } else {
        parts.add(
            String.format(
                "%s The service's own timing of %d of them, from its first read of the request: only"
                    + " %.1f %% within %s ms: the service itself was slow to refuse.",
                generator,
                timing.count(),
                100 * timing.shareWithin(),
                PhaseResult.millis(refusedTargetMicros)));
      }
    }
    if (phase.failureCount() > 0) {
      parts.add(
          String.format(
              "%d requests failed (neither a 204 nor a refusal by design): %s.",
              phase.failureCount(), phase.errors()));
    }
    if (phase.missingOnKafka() > 0) {
      parts.add(
          String.format(
              "%d accepted events never reached Kafka within the drain timeout.",
              phase.missingOnKafka()));
    }
    return String.join(" ", parts);
  }

  private static String windowsNamed(List<PhaseWindow> windows, int of) {
    if (windows.size() == of) {
      return of == 1 ? "it" : "all " + of;
    }
    return windows.stream()
        .map(w -> String.format("t=%.0fs", w.endSeconds()))
        .collect(Collectors.joining(", ", "the windows to ", ""));
  }

  private static double busy(PhaseResult phase) {
    var cpu = phase.cpu();
    return cpu.machineCapacity() <= 0 ? 0 : cpu.machineBusy() / cpu.machineCapacity();
  }
}
