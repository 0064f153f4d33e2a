package io.paybridge.faults;

import io.paybridge.platform.events.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scenario 5: the relay's replication slot dropped while the relay is stopped, with webhooks
 * committed in between (by a second instance that runs no relay), then the relay started again.
 *
 * <p>Pass: the relay refuses to stream (its health is DOWN and says why, nothing relayed) instead
 * of streaming from a new slot, and the recovery of docs/runbook.md ("A stuck, inactive or lost
 * slot": stop, drop the slot, clear the recorded position, start, replay from T0 with the runbook's
 * own replay SQL, read from the file) leaves no acknowledged event missing. Duplicates of events
 * relayed before the loss are expected from the replay's margin and reported.
 */
final class SlotLoss {

  static final String SLOT = "webhook_ingest_service_outbox";

  /** The margin the runbook asks for before the last relayed time (step 1). */
  static final Duration MARGIN = Duration.ofSeconds(10);

  private SlotLoss() {}

  static Verdict run(Stack stack) throws Exception {
    var settings = stack.settings;
    String name = "5 replication slot dropped while the relay is stopped";
    FaultHarness.say("scenario %s", name);
    var relay = stack.webhookIngest("scenario-5", Map.of());
    var writer =
        stack.webhookIngest("scenario-5", Map.of("paybridge.outbox.relay-enabled", "false"));
    stack.startAndAwait(relay);
    stack.startAndAwait(writer);
    var audit = new TopicAudit(stack.kafka.bootstrapServers(), List.of(Topics.GOCARDLESS_PAYMENTS));
    var load =
        new WebhookLoad(
            stack.webhooks,
            () -> List.of(Stack.webhookEndpoint(writer)),
            settings.retryDelay(),
            Duration.ofMinutes(5));
    var details = new ArrayList<String>();
    try {
      load.start(settings.rate(), load.payments("S"));
      Stack.sleep(settings.loadBefore());
      var lastHealth = stack.relayHealth(relay);
      Instant t0 = Instant.now().minus(MARGIN);
      FaultHarness.say("  stopping the relay's instance (%s)", lastHealth);
      relay.stop();
      Stack.sleep(settings.loadBefore());
      try (var connection = stack.postgres.connect("webhook_ingest_service");
          var statement = connection.createStatement()) {
        statement.execute("select pg_drop_replication_slot('" + SLOT + "')");
      }
      FaultHarness.say("  slot %s dropped; starting the relay's instance again", SLOT);
      Stack.sleep(Duration.ofSeconds(2));
      stack.startAndAwait(relay);
      // Give it the time a takeover takes, then look at what it does.
      Stack.sleep(settings.loadAfter().plus(Duration.ofSeconds(5)));
      var after = stack.relayHealth(relay);
      boolean streamed = after.streaming() && after.relayed() > 0;
      boolean refused = !after.streaming() && after.relayed() == 0 && after.lastError() != null;
      FaultHarness.say("  relay after the restart: %s", after);
      load.stopSending();
      load.awaitSettled(Duration.ofMinutes(3));
      var markers = stack.paymentMarkers("S");
      stack.sendMarkers(load, markers);
      var acknowledged = Stack.acknowledged(load, stack.prefix("S"));
      var before =
          audit.audit(
              acknowledged,
              stack.prefix("S"),
              Stack.ids(markers),
              refused ? Duration.ofSeconds(15) : settings.markerTimeout());
      String behaviour =
          refused
              ? "relay refused to stream: " + abbreviate(after.lastError())
              : streamed
                  ? "relay streamed from a new slot silently: "
                      + before.missing()
                      + " acknowledged events missing"
                  : "relay neither streamed nor reported an error: " + after;
      FaultHarness.say("  %s", behaviour);
      details.add(behaviour);
      details.add("before the recovery: " + before.describe());

      FaultHarness.say(
          "  the runbook's recovery: stop, drop the slot, clear the position, start, replay");
      relay.stop();
      writer.stop();
      try (var connection = stack.postgres.connect("webhook_ingest_service");
          var statement = connection.createStatement()) {
        statement.execute(
            "select pg_drop_replication_slot(slot_name) from pg_replication_slots"
                + " where slot_name = '"
                + SLOT
                + "'");
        statement.execute("delete from outbox_relay_offset");
      }
      stack.startAndAwait(relay);
      Instant t1 = Instant.now();
      String replay = replaySql(stack, t0, t1);
      try (var connection = stack.postgres.connect("webhook_ingest_service");
          var statement = connection.createStatement()) {
        statement.execute(replay);
      }
      var recoveryMarkers = stack.paymentMarkers("R");
      var markerLoad =
          new WebhookLoad(
              stack.webhooks,
              () -> List.of(Stack.webhookEndpoint(relay)),
              settings.retryDelay(),
              Duration.ofMinutes(2));
      stack.sendMarkers(markerLoad, recoveryMarkers);
      markerLoad.close();
      var recovered =
          audit.audit(
              acknowledged,
              stack.prefix("S"),
              Stack.ids(recoveryMarkers),
              settings.markerTimeout());
      details.add(
          String.format(
              "after the runbook's recovery (replay from %s, %d s before the relay stopped): %s",
              t0, MARGIN.toSeconds(), recovered.describe()));
      boolean pass = refused && recovered.missing() == 0 && recovered.markersSeen();
      return new Verdict(
          name,
          pass,
          behaviour
              + "; after the runbook's recovery: missing "
              + recovered.missing()
              + ", duplicated "
              + recovered.duplicatedEvents()
              + " (replay margin)",
          details);
    } finally {
      load.close();
      stack.stopServices();
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 160 ? text : text.substring(0, 160) + "…";
  }

  /**
   * The replay of docs/runbook.md ("Replay stored GoCardless events to Kafka"), as written there,
   * with its time window set to [t0, t1): the harness runs what an operator would paste.
   */
  static String replaySql(Stack stack, Instant t0, Instant t1) throws Exception {
    String runbook = Files.readString(stack.root.resolve("docs/runbook.md"));
    var block =
        Pattern.compile("```sql\\n(begin;\\n\\ncreate temp table replay.*?commit;)", Pattern.DOTALL)
            .matcher(runbook);
    if (!block.find()) {
      throw new IllegalStateException("docs/runbook.md has no replay block any more");
    }
    String sql = block.group(1);
    var window = Pattern.compile("timestamptz '[^']+'").matcher(sql);
    var replaced = new StringBuilder();
    int n = 0;
    while (window.find()) {
      window.appendReplacement(replaced, "timestamptz '" + (n++ == 0 ? t0 : t1) + "'");
    }
    window.appendTail(replaced);
    if (n != 2) {
      throw new IllegalStateException("The runbook's replay has " + n + " time bounds, not 2");
    }
    // The runbook's "or rollback" comment stays a comment; the statements run as written.
    return replaced.toString();
  }
}
