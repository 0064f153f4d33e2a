package io.paybridge.faults;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Scenario 4: two instances of webhook-ingest-service share the load; the relay leader is killed
 * (SIGKILL). Pass: the standby leads and relays (its {@code relayed} count moves) within 10 s of
 * the kill, and every acknowledged event is on Kafka once.
 */
final class LeaderTakeover {

  static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(10);

  private LeaderTakeover() {}

  static Verdict run(Stack stack) throws Exception {
    var settings = stack.settings;
    String name = "4 relay leader of two instances SIGKILLed under load";
    FaultHarness.say("scenario %s", name);
    var first = stack.webhookIngest("scenario-4", Map.of());
    var second = stack.webhookIngest("scenario-4", Map.of());
    stack.startAndAwait(first);
    stack.startAndAwait(second);
    var alive = new CopyOnWriteArrayList<ServiceProcess>(List.of(first, second));
    var audit = new TopicAudit(stack.kafka.bootstrapServers(), List.of(Topics.GOCARDLESS_PAYMENTS));
    var load =
        new WebhookLoad(
            stack.webhooks,
            // A failed attempt goes to the next instance, as a load balancer would send it.
            () -> alive.stream().map(Stack::webhookEndpoint).toList(),
            settings,
            Duration.ofMinutes(5));
    var details = new ArrayList<String>();
    try {
      load.start(settings.rate(), load.payments("L"));
      Stack.sleep(settings.loadBefore());
      ServiceProcess leader = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (leader == null && System.nanoTime() < deadline) {
        for (var instance : alive) {
          if (stack.relayHealth(instance).leader()) {
            leader = instance;
          }
        }
        Thread.sleep(200);
      }
      if (leader == null) {
        throw new IllegalStateException("Neither instance reports LEADER");
      }
      var standby = leader == first ? second : first;
      var before = stack.relayHealth(standby);
      FaultHarness.say(
          "  leader on port %d (%s); standby on port %d (%s): SIGKILL the leader",
          leader.port(), stack.relayHealth(leader), standby.port(), before);
      alive.remove(leader);
      leader.kill();
      long killed = System.nanoTime();
      Duration leads = null;
      Duration relays = null;
      long limit = killed + Duration.ofSeconds(60).toNanos();
      while ((leads == null || relays == null) && System.nanoTime() < limit) {
        var health = stack.relayHealth(standby);
        long now = System.nanoTime();
        if (leads == null && health.leader()) {
          leads = Duration.ofNanos(now - killed);
        }
        if (relays == null && health.leader() && health.relayed() > before.relayed()) {
          relays = Duration.ofNanos(now - killed);
        }
        Thread.sleep(100);
      }
      String takeover =
          String.format(
              "standby leads after %s, relays after %s (limit %d s)",
              leads == null ? "more than 60 s" : TopicAudit.millis(leads),
              relays == null ? "more than 60 s" : TopicAudit.millis(relays),
              TAKEOVER_LIMIT.toSeconds());
      FaultHarness.say("  %s", takeover);
      Stack.sleep(settings.loadAfter());
      var end = stack.endLoad(load, audit, "L");
      boolean settled = end.settled();
      var result = end.kafka();
      details.add(takeover);
      details.add("answers: " + load.describeOutcomes());
      details.add("Kafka: " + result.describe());
      boolean pass =
          settled && relays != null && relays.compareTo(TAKEOVER_LIMIT) <= 0 && result.exact();
      return new Verdict(name, pass, takeover + "; " + result.describe(), details);
    } finally {
      load.close();
      stack.stopServices();
    }
  }
}
