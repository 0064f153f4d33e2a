package io.paybridge.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Scenario 10: webhook-ingest-service stopped with SIGTERM {@code stops} times while it refuses
 * deliveries at its admission limit, as an orchestrator stops an instance during a rollout at peak
 * load; each webhook retried until 2xx.
 *
 * <p>The instance runs at its own admission limit unless {@code stopAdmission} sets one. Each stop
 * comes 3–6 s after the instance is ready, the moment it refuses: the harness sends a burst of
 * {@link #BURST} webhooks at once and signals as soon as one of them, or of the retries, is refused
 * ({@code 503 ingest-saturated}), so that the stop meets admitted deliveries in the database and
 * refused ones on the selector threads, both in flight. The load alone does not do that once the
 * sender's connections are bounded: a first instance at {@code stopRate} is below its limit.
 *
 * <p>Pass, for every stop: the process ends by itself (status 143, the JVM's for SIGTERM, or 0)
 * within {@link #GRACE}; it logs no ERROR while stopping; no attempt sent from a second before the
 * SIGTERM until the process ended waited for GoCardless's 10 s timeout, got a 5xx other than a 503,
 * or got {@code 503 storage-unavailable} (the stop must not keep a delivery from its transaction);
 * refusals ({@code 503 ingest-saturated}) were answered in that window. A storage refusal is judged
 * by those answers, not by its ERROR line ({@code StorageOutageLog}): a delivery sent before the
 * window that missed its storage deadline is logged at the moment of its answer, which can fall
 * after the signal. And at the end every acknowledged event on {@code gocardless.payments} once for
 * a {@code read_committed} consumer.
 */
final class GracefulStops {

  /** How long a stop may take: the service's own shutdown timeout is 30 s per phase. */
  static final Duration GRACE = Duration.ofSeconds(60);

  /**
   * Webhooks sent at once before each stop: four times the service's own admission limit (128), so
   * that the sender's connections (256 by default) go past it however fast the instance stores.
   */
  static final int BURST = 512;

  /**
   * How long a stop waits for a refusal after its burst; without one it comes anyway, and fails.
   */
  static final Duration REFUSAL_WAIT = Duration.ofSeconds(10);

  /** The answer of a delivery refused at the admission limit, as the load records it. */
  private static final String REFUSED = "503 ingest-saturated";

  private static final Pattern ERROR_LINE = Pattern.compile("^\\S+\\s+ERROR\\s");

  /** The logger of webhook-ingest-service's storage refusals, as its log abbreviates it. */
  private static final String STORAGE_OUTAGE_LOGGER = ".webhook.StorageOutageLog ";

  private GracefulStops() {}

  /** One stop as it happened: from a second before the signal to the process's end. */
  private record Stop(
      int number,
      Instant from,
      Instant to,
      OptionalInt exitStatus,
      double seconds,
      List<String> errorsLogged) {}

  /** What the attempts sent around one stop got. */
  private record StopWindow(Stop stop, Map<String, Long> outcomes, long slowestMillis) {

    long refused() {
      return outcomes.getOrDefault(REFUSED, 0L);
    }

    long timedOut() {
      return outcomes.getOrDefault("timeout", 0L);
    }

    long storageRefused() {
      return outcomes.getOrDefault("503 storage-unavailable", 0L);
    }

    long otherServerErrors() {
      return outcomes.entrySet().stream()
          .filter(e -> e.getKey().startsWith("5") && !e.getKey().startsWith("503"))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    boolean endedByItself() {
      var exit = stop.exitStatus();
      return exit.isPresent() && (exit.getAsInt() == 143 || exit.getAsInt() == 0);
    }

    boolean pass() {
      return endedByItself()
          && stop.errorsLogged().isEmpty()
          && timedOut() == 0
          && otherServerErrors() == 0
          && storageRefused() == 0
          && refused() > 0;
    }

    String describe() {
      return String.format(
          "stop %d: %s after %.1f s; %d ERROR lines logged%s; attempts sent from 1 s before the"
              + " SIGTERM to the exit: %s (slowest answer %d ms)",
          stop.number(),
          stop.exitStatus().isPresent()
              ? "exit status " + stop.exitStatus().getAsInt()
              : "killed, no exit",
          stop.seconds(),
          stop.errorsLogged().size(),
          stop.errorsLogged().isEmpty() ? "" : " (first: " + stop.errorsLogged().getFirst() + ")",
          outcomes,
          slowestMillis);
    }
  }

  static Verdict run(Stack stack) throws Exception {
    var settings = stack.settings;
    String name =
        "10 webhook-ingest-service stopped with SIGTERM "
            + settings.stops()
            + " times while it refuses at its admission limit";
    FaultHarness.say("scenario %s", name);
    var service =
        stack.webhookIngest(
            "scenario-10",
            settings.stopAdmission() > 0
                ? Map.of(
                    "paybridge.webhooks.gocardless.admission.max-pending-deliveries",
                    String.valueOf(settings.stopAdmission()))
                : Map.of());
    stack.startAndAwait(service);
    var audit = stack.paymentsAudit();
    var load = stack.loadOn(service);
    var details = new ArrayList<String>();
    var stops = new ArrayList<Stop>();
    try {
      load.start(settings.stopRate(), load.payments("T"));
      for (int stop = 1; stop <= settings.stops(); stop++) {
        Stack.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(3000, 6000)));
        awaitRefusing(load);
        Instant signalled = Instant.now();
        long begin = System.nanoTime();
        OptionalInt exit = service.terminate(GRACE);
        double took = (System.nanoTime() - begin) / 1e9;
        Instant ended = Instant.now();
        FaultHarness.say(
            "  stop %d/%d: SIGTERM with %d webhooks sent, %d acknowledged; %s after %.1f s",
            stop,
            settings.stops(),
            load.deliveries.size(),
            load.acked(),
            exit.isPresent() ? "exit status " + exit.getAsInt() : "killed",
            took);
        stops.add(
            new Stop(
                stop,
                signalled.minusSeconds(1),
                ended,
                exit,
                took,
                errorsLoggedSince(service.log(), signalled)));
        // The next start writes a fresh log: this instance's, with its stop, is kept beside it.
        Files.copy(
            service.log(),
            service.log().resolveSibling("stop-" + stop + ".log"),
            StandardCopyOption.REPLACE_EXISTING);
        stack.startAndAwait(service);
      }
      Stack.sleep(settings.loadAfter());
      var end = stack.endLoad(load, audit, "T");
      var result = end.kafka();

      var attempts =
          load.snapshot().stream().flatMap(d -> List.copyOf(d.attempts).stream()).toList();
      var windows = new ArrayList<StopWindow>();
      for (var stop : stops) {
        var outcomes = new TreeMap<String, Long>();
        long slowest = 0;
        for (var attempt : attempts) {
          if (!attempt.sentAt().isBefore(stop.from()) && !attempt.sentAt().isAfter(stop.to())) {
            outcomes.merge(attempt.outcome(), 1L, Long::sum);
            slowest = Math.max(slowest, attempt.millis());
          }
        }
        windows.add(new StopWindow(stop, outcomes, slowest));
      }
      windows.forEach(w -> details.add(w.describe()));
      long unsettled = end.unsettled();
      details.add("answers: " + load.describeOutcomes());
      details.addAll(end.unsettledDetails());
      details.add("Kafka: " + result.describe());
      long failedStops = windows.stream().filter(w -> !w.pass()).count();
      boolean pass = end.settled() && unsettled == 0 && result.exact() && failedStops == 0;
      long refusedAroundStops = windows.stream().mapToLong(StopWindow::refused).sum();
      double slowestStop = stops.stream().mapToDouble(Stop::seconds).max().orElse(0);
      return new Verdict(
          name,
          pass,
          String.format(
              "%d of %d stops clean (ended by itself, no ERROR logged, no attempt timed out,"
                  + " answered 5xx other than 503 or storage-unavailable, refusals answered: %d);"
                  + " longest stop %.1f s; %s%s",
              windows.size() - failedStops,
              windows.size(),
              refusedAroundStops,
              slowestStop,
              result.describe(),
              unsettled == 0 ? "" : "; " + unsettled + " webhooks never got a 2xx"),
          details);
    } finally {
      load.close();
      stack.stopServices();
    }
  }

  /** Sends {@link #BURST} webhooks at once; returns once one attempt is refused, or after 10 s. */
  private static void awaitRefusing(WebhookLoad load) throws InterruptedException {
    long refusedBefore = load.count(REFUSED);
    var burst = load.payments("T");
    for (int i = 0; i < BURST; i++) {
      load.submit(burst.get());
    }
    long deadline = System.nanoTime() + REFUSAL_WAIT.toNanos();
    while (load.count(REFUSED) == refusedBefore && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  /**
   * The log's ERROR lines stamped at or after {@code since} (each line starts with its instant),
   * storage refusals aside (judged by the answers).
   */
  private static List<String> errorsLoggedSince(Path log, Instant since) throws IOException {
    try (var lines = Files.lines(log)) {
      return lines
          .filter(line -> ERROR_LINE.matcher(line).find())
          .filter(line -> !line.contains(STORAGE_OUTAGE_LOGGER))
          .filter(line -> !Instant.parse(line.substring(0, line.indexOf(' '))).isBefore(since))
          .toList();
    }
  }
}
