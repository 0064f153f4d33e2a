package io.paybridge.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scenario 2: the Kafka broker stopped for {@code brokerOutage} under load and started again with
 * its data. Pass: every webhook sent during the outage accepted (2xx) on its first attempt, and
 * while the broker starts none refused but for {@code relay-behind}, every acknowledged event on
 * Kafka once, the service ready (its readiness probe 200) while the broker is away and its relay
 * DOWN meanwhile, and the backlog drained (the markers, sent after the restart, read within the
 * marker timeout) by the same relay instance.
 */
final class BrokerOutage {

  private BrokerOutage() {}

  /** The refusal a delivery may meet while the relay publishes the outage's backlog, by design. */
  private static final String RELAY_BEHIND = "503 relay-behind";

  static Verdict run(Stack stack) throws Exception {
    var settings = stack.settings;
    String name =
        "2 Kafka broker stopped for " + settings.brokerOutage().toSeconds() + " s under load";
    FaultHarness.say("scenario %s", name);
    var service = stack.webhookIngest("scenario-2", Map.of());
    stack.startAndAwait(service);
    var audit = stack.paymentsAudit();
    var load = stack.loadOn(service);
    var details = new ArrayList<String>();
    try {
      load.start(settings.rate(), load.payments("B"));
      Stack.sleep(settings.loadBefore());
      FaultHarness.say("  stopping the broker (SIGTERM)");
      stack.kafka.stop();
      Instant down = Instant.now();
      Stack.sleep(settings.brokerOutage());
      var relayDuringOutage = stack.relayHealth(service);
      int readinessDuringOutage = stack.readiness(service);
      FaultHarness.say(
          "  during the outage: relay %s, readiness HTTP %d",
          relayDuringOutage, readinessDuringOutage);
      details.add("relay during the outage: " + relayDuringOutage);
      details.add("readiness during the outage: HTTP " + readinessDuringOutage);
      FaultHarness.say("  starting the broker again");
      // The outage ends when the broker is started, not when start() has seen it answer: the relay
      // may reach it first and publish the outage's backlog, and deliveries sent then are refused
      // relay-behind by design (the backlog is over max-relay-lag). Any other refusal in between
      // still fails the scenario.
      Instant up = Instant.now();
      stack.kafka.start();
      Instant started = Instant.now();
      Stack.sleep(settings.loadAfter());
      load.stopSending();
      boolean settled = load.awaitSettled(Duration.ofMinutes(3));

      // What the service answered to webhooks first sent while the broker was away.
      long duringOutage = 0;
      long refusedDuringOutage = 0;
      var refusals = new TreeMap<String, Integer>();
      long whileStarting = 0;
      var startRefusals = new TreeMap<String, Integer>();
      long slowest = 0;
      for (var delivery : load.snapshot()) {
        var first = delivery.attempts.isEmpty() ? null : delivery.attempts.getFirst();
        if (first != null && !first.sentAt().isBefore(down) && first.sentAt().isBefore(up)) {
          duringOutage++;
          slowest = Math.max(slowest, first.millis());
          if (!first.ok()) {
            refusedDuringOutage++;
            refusals.merge(first.outcome(), 1, Integer::sum);
          }
        } else if (first != null
            && !first.sentAt().isBefore(up)
            && first.sentAt().isBefore(started)) {
          whileStarting++;
          if (!first.ok() && !RELAY_BEHIND.equals(first.outcome())) {
            startRefusals.merge(first.outcome(), 1, Integer::sum);
          }
        }
      }
      String starting =
          String.format(
              "while the broker started %d webhooks, refused other than relay-behind: %s",
              whileStarting, startRefusals);
      String accepted =
          String.format(
              "during the outage %d webhooks, %d not accepted at the first attempt%s, slowest answer"
                  + " %d ms",
              duringOutage, refusedDuringOutage, refusals.isEmpty() ? "" : " " + refusals, slowest);
      FaultHarness.say("  %s; answers %s", accepted, load.describeOutcomes());
      var markers = stack.paymentMarkers("B");
      stack.sendMarkers(load, markers);
      var result =
          audit.audit(
              Stack.acknowledged(load, stack.prefix("B")),
              stack.prefix("B"),
              Stack.ids(markers),
              settings.markerTimeout());
      details.add(accepted);
      details.add(starting);
      details.add("answers: " + load.describeOutcomes());
      details.add("Kafka: " + result.describe());
      var relayAfter = stack.relayHealth(service);
      details.add("relay after the outage (same instance): " + relayAfter);
      boolean pass =
          settled
              && refusedDuringOutage == 0
              && startRefusals.isEmpty()
              && duringOutage > 0
              && readinessDuringOutage == 200
              && "DOWN".equals(relayDuringOutage.status())
              && "UP".equals(relayAfter.status())
              && relayAfter.leader()
              && result.exact();
      return new Verdict(name, pass, accepted + "; " + result.describe(), details);
    } finally {
      load.close();
      stack.stopServices();
    }
  }
}
