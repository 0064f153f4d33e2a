package io.paybridge.bench;

import io.paybridge.platform.testsupport.Machine;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the benchmarks' entry points share: reading options, the machine line, the exit status. */
final class BenchMain {

  /** A benchmark's run, which may fail. */
  interface Run {
    void run() throws Exception;
  }

  private BenchMain() {}

  /**
   * The benchmark's options: {@code key=value} tokens (one argument may hold several, separated by
   * spaces) over {@code defaults}; a token without a key is ignored.
   */
  static Map<String, String> options(Map<String, String> defaults, String... args) {
    var values = new LinkedHashMap<>(defaults);
    for (String arg : args) {
      for (String token : arg.trim().split("\\s+")) {
        int equals = token.indexOf('=');
        if (equals > 0) {
          values.put(token.substring(0, equals), token.substring(equals + 1));
        }
      }
    }
    return values;
  }

  /** Runs the benchmark and exits the JVM: status 0, or 1 after printing the failure. */
  static void runAndExit(Run run) {
    int status = 0;
    try {
      run.run();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /** The machine a run measured: CPU, cores, memory, load at the start, and the commit. */
  static String machine() {
    return "machine: "
        + Machine.cpuModel()
        + ", "
        + Machine.cores()
        + " cores, "
        + Machine.memTotal()
        + ", load "
        + CpuSampler.loadAverage()
        + ", git "
        + Machine.gitCommit();
  }
}
