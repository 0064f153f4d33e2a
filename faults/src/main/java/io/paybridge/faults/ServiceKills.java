package io.paybridge.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scenario 1: webhook-ingest-service killed with SIGKILL {@code kills} times under load, each
 * webhook retried until 2xx. Pass: every acknowledged event on {@code gocardless.payments} once for
 * a {@code read_committed} consumer — none missing, none twice.
 */
final class ServiceKills {

  private ServiceKills() {}

  static Verdict run(Stack stack) throws Exception {
    var settings = stack.settings;
    String name = "1 webhook-ingest-service SIGKILLed " + settings.kills() + " times under load";
    FaultHarness.say("scenario %s", name);
    var service = stack.webhookIngest("scenario-1", Map.of());
    stack.startAndAwait(service);
    var audit = stack.paymentsAudit();
    var load = stack.loadOn(service);
    var details = new ArrayList<String>();
    try {
      load.start(settings.rate(), load.payments("K"));
      for (int kill = 1; kill <= settings.kills(); kill++) {
        // A random moment, so that kills land in every phase: mid-request, mid-commit, mid-relay.
        Stack.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(2000, 6000)));
        var relay = stack.relayHealth(service);
        service.kill();
        long killedAt = System.nanoTime();
        FaultHarness.say(
            "  kill %d/%d: SIGKILL with %d webhooks sent, %d acknowledged (relay was: %s)",
            kill, settings.kills(), load.deliveries.size(), load.acked(), relay);
        stack.startAndAwait(service);
        details.add(
            String.format(
                "kill %d: relayed %d before it; back up after %.1f s",
                kill, relay.relayed(), (System.nanoTime() - killedAt) / 1e9));
      }
      Stack.sleep(settings.loadAfter());
      var end = stack.endLoad(load, audit, "K");
      var result = end.kafka();
      long unsettled = end.unsettled();
      details.add("answers: " + load.describeOutcomes());
      details.addAll(end.unsettledDetails());
      details.add("Kafka: " + result.describe());
      boolean pass = end.settled() && unsettled == 0 && result.exact();
      return new Verdict(
          name,
          pass,
          result.describe()
              + (unsettled == 0 ? "" : "; " + unsettled + " webhooks never got a 2xx"),
          details);
    } finally {
      load.close();
      stack.stopServices();
    }
  }
}
