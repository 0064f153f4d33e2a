package io.paybridge.faults;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Scenario 5: the relay's replication slot dropped while the relay is stopped, with webhooks
 * committed in between (by a second instance that runs no relay), then the relay started again.
 *
 * <p>The recovery is docs/runbook.md's "A lost or replaced slot", done as an operator would, over
 * the {@code outbox} actuator endpoint: detect ({@code outboxRelay} DOWN with {@code reason} {@code
 * slot_missing}, {@code paybridge_outbox_relay_slot_mismatch} 1, {@code GET /actuator/outbox}),
 * acknowledge ({@code POST acknowledge-slot} with a note), check the leader streams again,
 * re-publish the range the acknowledgement answers ({@code POST republish}).
 *
 * <p>Pass: the relay refused (DOWN, {@code slot_missing}, gauge 1, and not one record appended to
 * the topic between the relay's stop and the acknowledgement), streams again after the
 * acknowledgement (UP, and markers sent after the recovery are read), and a {@code read_committed}
 * consumer reads every acknowledged event, nothing unexpected, with every duplicate (expected: ADR
 * 0006, at least once with the same id after a slot incident) byte-identical in key, value and
 * {@code id} header to its first copy.
 */
final class SlotLoss {

  static final String SLOT = "webhook_ingest_service_outbox";

  /** Waiting for the walsender of a stopped relay to release its slot (it can lag the process). */
  static final Duration SLOT_RELEASE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How long the restarted instance has to lead and report the slot (start-up, lock, Kafka
   * position) on a loaded 2-core machine.
   */
  static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(60);

  /** How long the leader has to stream after the acknowledgement (re-checks every 2 s). */
  static final Duration STREAM_TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private SlotLoss() {}

  static Verdict run(Stack stack) throws Exception {
    var settings = stack.settings;
    String name = "5 replication slot dropped while the relay is stopped";
    FaultHarness.say("scenario %s", name);
    // The runbook's operator path needs the endpoint exposed (it is off by default).
    var relay =
        stack.webhookIngest(
            "scenario-5",
            Map.of("management.endpoints.web.exposure.include", exposureWithOutbox(stack)));
    var writer =
        stack.webhookIngest("scenario-5", Map.of("paybridge.outbox.relay-enabled", "false"));
    stack.startAndAwait(relay);
    stack.startAndAwait(writer);
    var audit = new TopicAudit(stack.kafka.bootstrapServers(), List.of(Topics.GOCARDLESS_PAYMENTS));
    var load =
        new WebhookLoad(
            stack.webhooks,
            () -> List.of(Stack.webhookEndpoint(writer)),
            settings,
            Duration.ofMinutes(5));
    String prefix = stack.prefix("S");
    var details = new ArrayList<String>();
    var failures = new ArrayList<String>();
    try {
      load.start(settings.rate(), load.payments("S"));
      Stack.sleep(settings.loadBefore());
      FaultHarness.say("  stopping the relay's instance (%s)", relayState(relay));
      relay.stop();
      var stopped = audit.endOffsets();
      Duration released = awaitSlotInactive(stack);
      details.add(
          "the relay's instance stopped (SIGTERM); its slot inactive "
              + TopicAudit.millis(released)
              + " after the process ended");
      Stack.sleep(settings.loadBefore());
      try (var connection = stack.postgres.connect("webhook_ingest_service");
          var statement = connection.createStatement()) {
        statement.execute("select pg_drop_replication_slot('" + SLOT + "')");
      }
      FaultHarness.say("  slot %s dropped; starting the relay's instance again", SLOT);
      stack.startAndAwait(relay);

      // Detect: wait until it leads and reports something, then watch it for the load's
      // after-window too, so that a relay that streams after a later re-check is caught.
      long restarted = System.nanoTime();
      awaitRelay(relay, r -> r.reason() != null || r.streaming(), REFUSAL_TIMEOUT);
      Stack.sleep(settings.loadAfter());
      var detected = relayState(relay);
      double gauge = slotMismatchGauge(relay);
      var inspected = get(relay, "outbox");
      JsonNode slot = inspected.body().path("slot");
      var beforeAck = audit.endOffsets();
      long appended = audit.recordsBetween(stopped, beforeAck);
      String observed = TopicAudit.millis(Duration.ofNanos(System.nanoTime() - restarted));
      boolean refused =
          "DOWN".equals(detected.status())
              && "slot_missing".equals(detected.reason())
              && !detected.streaming()
              && detected.relayed() == 0
              && gauge == 1.0
              && "slot_missing".equals(text(slot, "reason"))
              && appended == 0;
      String detection =
          String.format(
              "detect (%s after the restart): outboxRelay %s (reasonDetail: %s); gauge"
                  + " paybridge_outbox_relay_slot_mismatch=%s; GET /actuator/outbox → %d, slot"
                  + " reason=%s, lastRelayedAt=%s; records appended to %s since the relay stopped:"
                  + " %d",
              observed,
              detected,
              detected.reasonDetail() == null ? "none" : abbreviate(detected.reasonDetail()),
              gauge,
              inspected.status(),
              text(slot, "reason"),
              text(slot, "lastRelayedAt"),
              Topics.GOCARDLESS_PAYMENTS,
              appended);
      FaultHarness.say("  %s", detection);
      details.add(detection);
      if (!refused) {
        failures.add(
            appended > 0
                ? "the relay streamed before the acknowledgement (" + appended + " records)"
                : "the relay did not report slot_missing as the runbook says: " + detected);
      }
      details.add("inspect: " + oldestKeptRow(stack, text(slot, "lastRelayedAt")));

      // Acknowledge (runbook step 1), instances still running and the load still on.
      var acknowledgedBefore = Stack.acknowledged(load, prefix);
      var ack =
          post(
              relay,
              "outbox/acknowledge-slot",
              Map.of("note", "faults: scenario 5, slot dropped while the relay was stopped"));
      details.add("acknowledge-slot → " + ack.status() + " " + ack.body());
      FaultHarness.say("  acknowledge-slot → %d %s", ack.status(), ack.body());
      String from = text(ack.body(), "republishFrom");
      String to = text(ack.body(), "republishTo");
      if (ack.status() != 200 || to == null) {
        failures.add("the acknowledgement was refused: " + ack.status() + " " + ack.body());
      }

      // Check the leader streams again (step 2).
      long acked = System.nanoTime();
      var streaming =
          awaitRelay(
              relay,
              r -> "UP".equals(r.status()) && r.streaming() && r.reason() == null,
              STREAM_TIMEOUT);
      double gaugeAfter = slotMismatchGauge(relay);
      boolean streams =
          "UP".equals(streaming.status()) && streaming.streaming() && streaming.reason() == null;
      String resumed =
          String.format(
              "after the acknowledgement: outboxRelay %s (%s later); gauge %s",
              streaming,
              TopicAudit.millis(Duration.ofNanos(System.nanoTime() - acked)),
              gaugeAfter);
      FaultHarness.say("  %s", resumed);
      details.add(resumed);
      if (!streams || gaugeAfter != 0.0) {
        failures.add("the relay did not stream again after the acknowledgement: " + streaming);
      }

      // Re-publish the answered range (step 3).
      long republished = -1;
      if (to != null) {
        if (from == null) {
          // No relayed change to measure a margin from: the runbook's inspection says the
          // re-publication reaches back to the oldest kept row.
          from = oldestCreatedAt(stack);
          details.add("republishFrom was null: from the oldest kept row, " + from);
        }
        var answer = post(relay, "outbox/republish", Map.of("from", from, "to", to));
        details.add(
            "republish " + from + " → " + to + ": " + answer.status() + " " + answer.body());
        FaultHarness.say("  republish → %d %s", answer.status(), answer.body());
        republished = answer.body().path("records").asLong(-1);
        if (answer.status() != 200 || republished <= 0) {
          failures.add("the re-publication failed: " + answer.status() + " " + answer.body());
        }
      }

      // Verify: markers sent to the relay's instance after the recovery must arrive (it streams),
      // and then everything committed before them has been relayed or re-published.
      load.stopSending();
      load.awaitSettled(Duration.ofMinutes(3));
      var markers = stack.paymentMarkers("R");
      var markerLoad =
          new WebhookLoad(
              stack.webhooks,
              () -> List.of(Stack.webhookEndpoint(relay)),
              settings,
              Duration.ofMinutes(2));
      stack.sendMarkers(markerLoad, markers);
      markerLoad.close();
      var acknowledged = Stack.acknowledged(load, prefix);
      var result = audit.audit(acknowledged, prefix, Stack.ids(markers), settings.markerTimeout());
      details.add("after the recovery (read_committed): " + result.describe());
      if (!result.markersSeen()) {
        failures.add("markers sent after the recovery were not read: the relay does not stream");
      }
      if (result.missing() > 0 || result.unexpected() > 0) {
        failures.add(result.missing() + " missing, " + result.unexpected() + " unexpected");
      }

      var duplicates = Duplicates.of(audit.copies(prefix), stopped, acknowledgedBefore);
      details.add(duplicates.describe());
      if (duplicates.differing() > 0) {
        failures.add(duplicates.differing() + " duplicates differ from their first copy");
      }
      details.add("answers to the load: " + load.outcomes);

      boolean pass = failures.isEmpty();
      String figures =
          (refused
                  ? "refused (DOWN slot_missing, gauge 1, 0 records before the acknowledgement)"
                  : "NOT refused")
              + "; acknowledged, "
              + (streams ? "streaming again" : "NOT streaming")
              + ", re-published "
              + republished
              + "; acknowledged "
              + result.acknowledged()
              + ", missing "
              + result.missing()
              + ", unexpected "
              + result.unexpected()
              + ", duplicated "
              + result.duplicatedEvents()
              + " (expected after a slot incident; "
              + duplicates.identical()
              + " byte-identical, "
              + duplicates.differing()
              + " differing), "
              + duplicates.gap()
              + " events only the re-publication brought; markers "
              + (result.markersSeen() ? "read" : "NOT read")
              + (pass ? "" : "; failed: " + String.join("; ", failures));
      return new Verdict(name, pass, figures, details);
    } finally {
      load.close();
      stack.stopServices();
    }
  }

  /**
   * The duplicates a {@code read_committed} consumer got, compared with their first copy.
   *
   * @param duplicated events read more than once
   * @param identical of those, every copy the same key, value and {@code id} header, byte for byte
   * @param differing the others (fail the verdict)
   * @param otherHeadersDiffer identical events whose other headers differ (informative)
   * @param relayedBeforeStop duplicated events whose first copy the relay wrote before it stopped
   * @param maxCopies the most copies of one event
   * @param gap events acknowledged before the acknowledgement and not on Kafka when the relay
   *     stopped: committed while no relay streamed, on Kafka only through the re-publication
   */
  record Duplicates(
      long duplicated,
      long identical,
      long differing,
      List<String> differingSample,
      long otherHeadersDiffer,
      long relayedBeforeStop,
      int maxCopies,
      long gap) {

    static Duplicates of(
        Map<String, List<TopicAudit.Copy>> copies,
        Map<TopicPartition, Long> stopped,
        Set<String> acknowledgedBeforeAck) {
      long duplicated = 0, identical = 0, differing = 0, otherHeaders = 0, beforeStop = 0;
      int maxCopies = 0;
      var sample = new ArrayList<String>();
      var onKafkaAtStop = new HashSet<String>();
      for (var entry : copies.entrySet()) {
        var list = entry.getValue();
        var first = list.getFirst();
        boolean relayedBefore = first.offset() < stopped.getOrDefault(first.partition(), 0L);
        if (relayedBefore) {
          onKafkaAtStop.add(entry.getKey());
        }
        maxCopies = Math.max(maxCopies, list.size());
        if (list.size() < 2) {
          continue;
        }
        duplicated++;
        if (relayedBefore) {
          beforeStop++;
        }
        if (list.stream().allMatch(first::sameEvent)) {
          identical++;
          if (!list.stream().allMatch(first::sameHeaders)) {
            otherHeaders++;
          }
        } else {
          differing++;
          if (sample.size() < 3) {
            sample.add(entry.getKey());
          }
        }
      }
      long gap = acknowledgedBeforeAck.stream().filter(id -> !onKafkaAtStop.contains(id)).count();
      return new Duplicates(
          duplicated, identical, differing, sample, otherHeaders, beforeStop, maxCopies, gap);
    }

    String describe() {
      return String.format(
          "duplicates: %d events read more than once (at most %d copies), %d of them first"
              + " relayed before the relay stopped (inside the re-publication's margin); %d"
              + " byte-identical in key, value and id header to their first copy (%d of these"
              + " with other headers differing), %d differing%s; %d events acknowledged before"
              + " the acknowledgement were not on Kafka when the relay stopped (only the"
              + " re-publication could bring them)",
          duplicated,
          maxCopies,
          relayedBeforeStop,
          identical,
          otherHeadersDiffer,
          differing,
          differingSample.isEmpty() ? "" : " (e.g. " + String.join(", ", differingSample) + ")",
          gap);
    }
  }

  /** What an instance's {@code outboxRelay} health says, including the refusal's reason. */
  record Relay(
      String status,
      String role,
      boolean streaming,
      long relayed,
      String reason,
      String reasonDetail,
      String lastError) {

    @Override
    public String toString() {
      return status
          + " role="
          + role
          + " streaming="
          + streaming
          + " relayed="
          + relayed
          + (reason == null ? "" : " reason=" + reason)
          + (lastError == null ? "" : " lastError=" + abbreviate(lastError));
    }
  }

  static Relay relayState(ServiceProcess service) throws InterruptedException {
    try {
      var answer = get(service, "health");
      JsonNode relay = answer.body().path("components").path("outboxRelay");
      JsonNode details = relay.path("details");
      return new Relay(
          text(relay, "status"),
          text(details, "role"),
          details.path("streaming").asBoolean(false),
          details.path("relayed").asLong(0),
          text(details, "reason"),
          text(details, "reasonDetail"),
          text(details, "lastError"));
    } catch (IOException e) {
      return new Relay("?", "?", false, 0, null, null, e.toString());
    }
  }

  private static Relay awaitRelay(ServiceProcess service, Predicate<Relay> until, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Relay relay;
    while (!until.test(relay = relayState(service)) && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    return relay;
  }

  /** {@code paybridge_outbox_relay_slot_mismatch} from the instance's Prometheus endpoint. */
  static double slotMismatchGauge(ServiceProcess service) throws InterruptedException {
    try {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(Stack.actuator(service, "prometheus"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      var gauge =
          Pattern.compile("(?m)^paybridge_outbox_relay_slot_mismatch(?:\\{[^}]*})?\\s+(\\S+)$")
              .matcher(body);
      return gauge.find() ? Double.parseDouble(gauge.group(1)) : Double.NaN;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** An answer of the actuator. */
  record Answer(int status, JsonNode body) {}

  static Answer get(ServiceProcess service, String path) throws IOException, InterruptedException {
    var response =
        HTTP.send(
            HttpRequest.newBuilder(Stack.actuator(service, path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), parse(response.body()));
  }

  /** {@code curl -X POST $MGMT/actuator/<path> -H 'Content-Type: application/json' -d …}. */
  static Answer post(ServiceProcess service, String path, Map<String, String> body)
      throws IOException, InterruptedException {
    var response =
        HTTP.send(
            HttpRequest.newBuilder(Stack.actuator(service, path))
                .header("Content-Type", "application/json")
                // a large range is sent in transactions of 500: give it time
                .timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), parse(response.body()));
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
    } catch (RuntimeException e) {
      return JSON.getNodeFactory().stringNode(body);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asString();
  }

  /**
   * Waits until {@code pg_replication_slots.active} is false: the walsender of a stopped relay can
   * outlive its process for a moment, and a slot that is still active cannot be dropped.
   */
  private static Duration awaitSlotInactive(Stack stack) throws Exception {
    long began = System.nanoTime();
    long deadline = began + SLOT_RELEASE_TIMEOUT.toNanos();
    try (var connection = stack.postgres.connect("webhook_ingest_service");
        var query =
            connection.prepareStatement(
                "select active from pg_replication_slots where slot_name = ?")) {
      query.setString(1, SLOT);
      while (true) {
        try (var rows = query.executeQuery()) {
          if (!rows.next()) {
            throw new IllegalStateException("Slot " + SLOT + " is gone before it was dropped");
          }
          if (!rows.getBoolean(1)) {
            return Duration.ofNanos(System.nanoTime() - began);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Slot "
                  + SLOT
                  + " still active "
                  + SLOT_RELEASE_TIMEOUT
                  + " after the relay stopped");
        }
        Thread.sleep(100);
      }
    }
  }

  /** The runbook's inspection: does the outbox still keep rows from before the margin? */
  private static String oldestKeptRow(Stack stack, String lastRelayedAt) throws Exception {
    String oldest = oldestCreatedAt(stack);
    String verdict =
        oldest == null || lastRelayedAt == null
            ? "cannot compare"
            : Instant.parse(oldest)
                    .isAfter(Instant.parse(lastRelayedAt).minus(Duration.ofMinutes(10)))
                ? "newer than lastRelayedAt - 10 min: every kept row is inside the range"
                : "older than lastRelayedAt - 10 min: the whole range is kept";
    return "oldest kept outbox row created at " + oldest + " (" + verdict + ")";
  }

  private static String oldestCreatedAt(Stack stack) throws Exception {
    try (var connection = stack.postgres.connect("webhook_ingest_service");
        var statement = connection.createStatement();
        var rows = statement.executeQuery("select min(created_at) from outbox_event")) {
      rows.next();
      Timestamp oldest = rows.getTimestamp(1);
      return oldest == null ? null : oldest.toInstant().toString();
    }
  }

  /**
   * The service's own {@code management.endpoints.web.exposure.include} (its application.yml) plus
   * {@code outbox}, as the runbook asks an operator to configure it.
   */
  static String exposureWithOutbox(Stack stack) throws IOException {
    String yml =
        Files.readString(
            stack.root.resolve(Stack.WEBHOOK_INGEST + "/src/main/resources/application.yml"));
    var include = Pattern.compile("exposure:\\s*\\n\\s*include:\\s*([^\\n#]+)").matcher(yml);
    if (!include.find()) {
      throw new IllegalStateException(
          "webhook-ingest-service's application.yml has no management exposure list any more");
    }
    String list = include.group(1).replaceAll("\\s", "");
    return List.of(list.split(",")).contains("outbox") ? list : list + ",outbox";
  }

  private static String abbreviate(String text) {
    return text.length() <= 160 ? text : text.substring(0, 160) + "…";
  }
}
