package io.paybridge.faults;

import io.paybridge.platform.testsupport.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault harness of issue 7: each scenario runs against the real services, each a process of its
 * own from its executable jar, on PostgreSQL and a Kafka broker that are processes of their own too
 * (so that they can be killed, stopped, paused and started again), under load, and ends with a PASS
 * or FAIL line and its figures. Run from the repository root:
 *
 * <pre>./mvnw -pl faults -am -Pfaults package -DskipTests [-Dfaults.args="scenarios=1,2 quick"]
 * </pre>
 *
 * <p>Writes {@code faults/results/<date>-<scenarios>.md}. See docs/reliability.md.
 */
public final class FaultHarness {

  private static final long STARTED = System.nanoTime();

  private FaultHarness() {}

  public static void main(String[] args) throws Exception {
    var settings = FaultSettings.parse(args);
    int status;
    try {
      status = run(settings, String.join(" ", args)) ? 0 : 2;
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // Kafka clients and the simulator leave non-daemon threads behind.
    System.exit(status);
  }

  private static boolean run(FaultSettings settings, String arguments) throws Exception {
    var startedAt = ZonedDateTime.now();
    say("fault harness: %s", settings.describe());
    var verdicts = new ArrayList<Verdict>();
    var stack = new Stack(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(stack)));
    try {
      stack.start();
      // 5 last: it drops the relay's slot. 6, 8 and 9 before it: they need no load of their own.
      for (int scenario : List.of(1, 10, 2, 3, 4, 6, 7, 8, 9, 5)) {
        if (!settings.scenarios().contains(scenario)) {
          continue;
        }
        try {
          switch (scenario) {
            case 1 -> verdicts.add(ServiceKills.run(stack));
            case 2 -> verdicts.add(BrokerOutage.run(stack));
            case 3 -> verdicts.addAll(DatabaseOutage.run(stack));
            case 4 -> verdicts.add(LeaderTakeover.run(stack));
            case 5 -> verdicts.add(SlotLoss.run(stack));
            case 6 -> verdicts.add(ShuffledDelivery.run(stack));
            case 7 -> verdicts.add(NotificationKills.run(stack));
            case 8 -> verdicts.add(BillingShuffledDelivery.run(stack));
            case 9 -> verdicts.add(BillingKills.run(stack));
            case 10 -> verdicts.add(GracefulStops.run(stack));
            default -> throw new IllegalArgumentException("No scenario " + scenario);
          }
        } catch (Exception e) {
          // A scenario that cannot finish fails; the others still run.
          e.printStackTrace();
          verdicts.add(
              new Verdict(
                  "scenario " + scenario,
                  false,
                  "did not finish: " + e,
                  List.of("harness error: " + e)));
          stack.stopServices();
        }
        say("%s", verdicts.getLast().line());
      }
    } finally {
      closeQuietly(stack);
    }
    System.out.println();
    say("verdicts:");
    verdicts.forEach(v -> System.out.println("  " + v.line()));
    Path file = write(stack, settings, arguments, startedAt, verdicts);
    say("results written to %s", stack.root.relativize(file));
    return verdicts.stream().allMatch(Verdict::pass);
  }

  private static Path write(
      Stack stack,
      FaultSettings settings,
      String arguments,
      ZonedDateTime startedAt,
      List<Verdict> verdicts)
      throws IOException {
    var report = new StringBuilder();
    report
        .append("# Fault harness run ")
        .append(startedAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append("\n\n");
    report.append("| | |\n|---|---|\n");
    machine(stack, arguments, settings)
        .forEach((k, v) -> report.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    report.append("\n## Verdicts\n\n");
    for (var verdict : verdicts) {
      report.append("- **").append(verdict.pass() ? "PASS" : "FAIL").append("** ");
      report.append(verdict.scenario()).append(": ").append(verdict.figures()).append('\n');
    }
    for (var verdict : verdicts) {
      report.append("\n## ").append(verdict.scenario()).append("\n\n");
      verdict.details().forEach(d -> report.append("- ").append(d).append('\n'));
    }
    String scenarios =
        settings.scenarios().size() == FaultSettings.ALL.size()
            ? "all"
            : String.join("", settings.scenarios().stream().map(String::valueOf).toList());
    Path file =
        stack.root.resolve(
            "faults/results/"
                + startedAt.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"))
                + "-scenarios-"
                + scenarios
                + (settings.quick() ? "-quick" : "")
                + ".md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    return file;
  }

  private static Map<String, String> machine(
      Stack stack, String arguments, FaultSettings settings) {
    var machine = new LinkedHashMap<String, String>();
    machine.put("Arguments", "`" + arguments + "`");
    machine.put("Settings", settings.describe());
    machine.put("Run id (in event ids)", stack.runId);
    machine.put("Cores (available to the JVM)", String.valueOf(Machine.cores()));
    machine.put("RAM", Machine.memTotal());
    machine.put("CPU", Machine.cpuModel());
    machine.put("JDK", Machine.jdk());
    machine.put(
        "Kafka",
        org.apache.kafka.common.utils.AppInfoParser.getVersion() + " (KRaft, one node, own JVM)");
    machine.put("PostgreSQL", "17 (zonky embedded binaries, own processes, synchronous_commit=on)");
    machine.put("Git", Machine.gitCommit());
    machine.put("Wall time", String.format("%.0f s", (System.nanoTime() - STARTED) / 1e9));
    return machine;
  }

  private static void closeQuietly(Stack stack) {
    try {
      stack.close();
    } catch (Exception e) {
      System.err.println("while stopping: " + e);
    }
  }

  static void say(String format, Object... args) {
    System.out.printf(
        "[faults %6.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(format, args));
  }
}
