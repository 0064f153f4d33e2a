package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One bad event in a correctly signed batch costs nothing of the rest: the delivery is stored, the
 * good events are published once, the bad one waits in quarantine until an operator releases it.
 *
 * <p>"Published once" is read up to a known end: after the batch, a marker event about the same
 * payment (same key, so same partition, behind them in order) is delivered; once the marker is
 * read, everything published before it has been read too.
 */
@IntegrationTest
class QuarantineIT {

  static final String OPERATOR_TOKEN = "test-operator-token-000000000000000000000000";

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired JdbcTemplate jdbc;
  @Autowired ObjectMapper mapper;
  WebhookClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void client() {
    client = new WebhookClient(port);
  }

  @Test
  void publishesTheGoodEventsOfASignedBatchAndQuarantinesTheOneWithoutAnAction() {
    String run = run();
    String payment = "PM" + run;
    String bad = withoutAction("EV" + run + "BAD", payment);
    byte[] body =
        webhook(
            event("EV" + run + "A", payment, "created"),
            event("EV" + run + "B", payment, "submitted"),
            bad,
            event("EV" + run + "C", payment, "confirmed"));
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);

      assertThat(publishedUpToMarker(kafka, run, payment))
          .containsExactly("EV" + run + "A", "EV" + run + "B", "EV" + run + "C", marker(run));
    }
    var quarantined = quarantinedRow("EV" + run + "BAD");
    assertThat(quarantined.get("reason")).isEqualTo("missing_action");
    assertThat(quarantined.get("event_index")).isEqualTo(2);
    assertThat(quarantined.get("raw_event")).isEqualTo(bad);
    assertThat(quarantined.get("released_at")).isNull();
    assertThat(
            jdbc.queryForObject(
                "select body from webhook_delivery where id = ?",
                byte[].class,
                quarantined.get("delivery_id")))
        .isEqualTo(body);
    assertThat(inboxCount("EV" + run + "BAD")).isZero();
    assertThat(inboxCount("EV" + run + "A")).isEqualTo(1);
  }

  @Test
  void quarantinesAnEventWhoseIdIsLongerThan64Characters() {
    String run = run();
    String payment = "PM" + run;
    String longId = "EV" + run + "X".repeat(70);
    byte[] body =
        webhook(event(longId, payment, "created"), event("EV" + run + "A", payment, "created"));
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      assertThat(publishedUpToMarker(kafka, run, payment))
          .containsExactly("EV" + run + "A", marker(run));
    }
    var quarantined = quarantinedRow(longId);
    assertThat(quarantined.get("reason")).isEqualTo("id_too_long");
    assertThat(quarantined.get("event_index")).isEqualTo(0);
  }

  @Test
  void acceptsAndPublishesAnEventWithLinksLongerThan255Characters() {
    String run = run();
    String id = "EV" + run + "L";
    String payment = "PM" + run + "P".repeat(300);
    String organisation = "OR" + "O".repeat(300);
    String event =
        "{\"id\":\""
            + id
            + "\",\"created_at\":\"2026-03-02T10:15:47.578Z\",\"resource_type\":\"payments\","
            + "\"action\":\"created\",\"links\":{\"payment\":\""
            + payment
            + "\",\"organisation\":\""
            + organisation
            + "\",\"parent_event\":\"EV"
            + "E".repeat(300)
            + "\"},\"details\":{},\"metadata\":{}}";
    String body =
        "{\"events\":[" + event + "],\"meta\":{\"webhook_id\":\"WB" + "W".repeat(300) + "\"}}";
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      kafka
          .await(r -> id.equals(r.header(EventHeaders.ID)))
          .hasKey(payment)
          .hasHeader(EventHeaders.ORGANISATION_ID, organisation);
    }
    assertThat(
            jdbc.queryForObject(
                "select resource_id from gocardless_event where event_id = ?", String.class, id))
        .isEqualTo(payment);
  }

  @Test
  void quarantinesEachKindOfUnroutableEventAndPublishesTheRestOfItsBatch() {
    String run = run();
    String payment = "PM" + run;
    Map<String, String> reasonByBadEvent =
        Map.of(
            "{\"id\":\"EV" + run + "T\",\"action\":\"created\",\"links\":{}}",
            "missing_resource_type",
            "{\"id\":{\"n\":\"" + run + "\"},\"resource_type\":\"payments\",\"action\":\"x\"}",
            "invalid_id",
            "[\"" + run + "\"]",
            "not_an_object",
            "\"" + run + "\"",
            "not_an_object");
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      int i = 0;
      for (var bad : reasonByBadEvent.entrySet()) {
        byte[] body = webhook(event("EV" + run + "G" + i++, payment, "created"), bad.getKey());
        assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode())
            .as(bad.getKey())
            .isEqualTo(204);
        assertThat(
                jdbc.queryForObject(
                    "select reason from quarantined_event where raw_event = ?",
                    String.class,
                    bad.getKey()))
            .as(bad.getKey())
            .isEqualTo(bad.getValue());
      }
      assertThat(publishedUpToMarker(kafka, run, payment))
          .containsExactlyInAnyOrder(
              "EV" + run + "G0",
              "EV" + run + "G1",
              "EV" + run + "G2",
              "EV" + run + "G3",
              marker(run));
    }
  }

  @Test
  void storesAndQuarantinesASignedBodyThatIsNotAWebhookButRefusesAnUnsignedOne() throws Exception {
    String run = run();
    int deliveriesBefore = deliveries();
    for (String body :
        List.of(
            "{\"events\": [" + run,
            "not json at all " + run,
            "[\"" + run + "\"]",
            "{\"meta\": {\"webhook_id\": \"WB" + run + "\"}}",
            "{\"events\": {\"id\": \"" + run + "\"}}",
            "{\"events\": [], \"x\": \"" + run + "\"} trailing")) {
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).as(body).isEqualTo(204);
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).as(body).isEqualTo(204);
      var rows =
          jdbc.queryForList(
              """
              select q.reason, q.event_index from quarantined_event q
              join webhook_delivery d on d.id = q.delivery_id where d.body = ?
              """,
              (Object) body.getBytes(StandardCharsets.UTF_8));
      assertThat(rows).as("quarantined once, although delivered twice: " + body).hasSize(1);
      assertThat(rows.getFirst().get("reason")).isEqualTo("malformed_body");
      assertThat(rows.getFirst().get("event_index")).isNull();
    }
    byte[] notUtf8 = ("{\"e\": \"" + run + "\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(client.postSigned(notUtf8, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
    assertThat(deliveries()).isEqualTo(deliveriesBefore + 13);

    assertThat(client.post(("not json " + run).getBytes(), "0".repeat(64)).statusCode())
        .isEqualTo(498);
    assertThat(client.post(("not json " + run).getBytes(), null).statusCode()).isEqualTo(498);
    assertThat(deliveries()).isEqualTo(deliveriesBefore + 13);
  }

  @Test
  void releasesACorrectedEventOncePublishingItOnceAndIgnoresRedeliveries() throws Exception {
    String run = run();
    String payment = "PM" + run;
    String badId = "EV" + run + "BAD";
    byte[] body =
        webhook(event("EV" + run + "A", payment, "created"), withoutAction(badId, payment));
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      // GoCardless delivers the same webhook again: nothing new anywhere.
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from quarantined_event where event_id = ?",
                  Integer.class,
                  badId))
          .isEqualTo(1);

      // The operator finds it ...
      var listed = operations("GET", "/operations/quarantine?limit=1000", null, OPERATOR_TOKEN);
      assertThat(listed.statusCode()).isEqualTo(200);
      JsonNode entry = null;
      for (JsonNode candidate : mapper.readTree(listed.body())) {
        if (badId.equals(candidate.path("eventId").asString())) {
          entry = candidate;
        }
      }
      assertThat(entry).as("listed").isNotNull();
      long id = entry.path("id").asLong();
      assertThat(entry.path("reason").asString()).isEqualTo("missing_action");
      var one = operations("GET", "/operations/quarantine/" + id, null, OPERATOR_TOKEN);
      assertThat(mapper.readTree(one.body()).path("rawEvent").asString())
          .isEqualTo(withoutAction(badId, payment));

      // ... cannot release it as it stands ...
      var asStored =
          operations(
              "POST",
              "/operations/quarantine/" + id + "/release",
              "{\"reason\": \"retry\"}",
              OPERATOR_TOKEN);
      assertThat(asStored.statusCode()).isEqualTo(422);
      assertThat(mapper.readTree(asStored.body()).path("reason").asString())
          .isEqualTo("missing_action");

      // ... releases it corrected ...
      String corrected = event(badId, payment, "failed");
      var released =
          operations(
              "POST",
              "/operations/quarantine/" + id + "/release",
              "{\"reason\": \"action confirmed with GoCardless support\", \"corrected\": "
                  + corrected
                  + "}",
              OPERATOR_TOKEN);
      assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
      assertThat(mapper.readTree(released.body()).path("published").get(0).asString())
          .isEqualTo(badId);

      // ... and a second release, or GoCardless's retry, publishes nothing more.
      var again =
          operations(
              "POST",
              "/operations/quarantine/" + id + "/release",
              "{\"reason\": \"again\", \"corrected\": " + corrected + "}",
              OPERATOR_TOKEN);
      assertThat(again.statusCode()).isEqualTo(409);
      // ... nor does a replay of it, which is audited.
      var replay =
          operations(
              "POST",
              "/operations/quarantine/replays",
              "{\"ids\": [" + id + "], \"reason\": \"replay after the fix\"}",
              OPERATOR_TOKEN);
      assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
      JsonNode replayed = mapper.readTree(replay.body());
      assertThat(replayed.path("replayed").asInt()).isZero();
      assertThat(replayed.path("alreadyReleased").get(0).asLong()).isEqualTo(id);
      assertThat(
              jdbc.queryForMap(
                  "select action, actor, detail::text as detail from audit_entry where id = ?::uuid",
                  replayed.path("auditId").asString()))
          .containsEntry("action", "quarantine.replayed")
          .containsEntry("actor", "operator:test-operator")
          .hasEntrySatisfying("detail", d -> assertThat(d.toString()).contains(String.valueOf(id)));
      var audited =
          operations(
              "GET",
              "/operations/audit?action=quarantine.replayed&limit=1000",
              null,
              OPERATOR_TOKEN);
      assertThat(audited.statusCode()).isEqualTo(200);
      assertThat(
              mapper
                  .readTree(audited.body())
                  .path("entries")
                  .valueStream()
                  .map(e -> e.path("id").asString()))
          .contains(replayed.path("auditId").asString());
      assertThat(operations("GET", "/operations/audit", null, "nope").statusCode()).isEqualTo(401);
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);

      assertThat(publishedUpToMarker(kafka, run, payment))
          .containsExactly("EV" + run + "A", badId, marker(run));
      var record =
          kafka.received().stream()
              .filter(r -> badId.equals(r.header(EventHeaders.ID)))
              .findFirst()
              .orElseThrow();
      assertThat(record.value()).isEqualTo(corrected);
      record.hasKey(payment).hasHeader(EventHeaders.EVENT_TYPE, "payments.failed");
    }
    var audit = quarantinedRow(badId);
    assertThat(audit.get("released_at")).isNotNull();
    assertThat(audit.get("released_by")).isEqualTo("test-operator");
    assertThat(audit.get("release_reason")).isEqualTo("action confirmed with GoCardless support");
    assertThat(audit.get("corrected")).isEqualTo(event(badId, payment, "failed"));
    assertThat(
            jdbc.queryForObject(
                "select released_from from gocardless_event where event_id = ?", Long.class, badId))
        .isEqualTo(audit.get("id"));
    assertThat(
            jdbc.queryForObject(
                "select count(*) from quarantined_event where event_id = ?", Integer.class, badId))
        .isEqualTo(1);
  }

  @Test
  void releasesAQuarantinedBodyWithAnOperatorsCorrection() throws Exception {
    String run = run();
    String payment = "PM" + run;
    String broken = "{\"events\": [" + event("EV" + run + "A", payment, "created");
    assertThat(client.postSigned(broken, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
    long id =
        jdbc.queryForObject(
            """
            select q.id from quarantined_event q join webhook_delivery d on d.id = q.delivery_id
            where d.body = ?
            """,
            Long.class,
            (Object) broken.getBytes(StandardCharsets.UTF_8));
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      var released =
          operations(
              "POST",
              "/operations/quarantine/" + id + "/release",
              "{\"reason\": \"body truncated upstream\", \"corrected\": "
                  + broken
                  + ", "
                  + withoutAction("EV" + run + "BAD", payment)
                  + "]}}",
              OPERATOR_TOKEN);
      assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
      assertThat(publishedUpToMarker(kafka, run, payment))
          .containsExactly("EV" + run + "A", marker(run));
    }
    // The body's own bad event is quarantined in turn, under the same delivery.
    assertThat(quarantinedRow("EV" + run + "BAD").get("reason")).isEqualTo("missing_action");
  }

  @Test
  void operatorEndpointsNeedAnOperatorsToken() throws Exception {
    var anonymous = operations("GET", "/operations/quarantine", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(mapper.readTree(anonymous.body()).path("type").asString())
        .isEqualTo("https://paybridge.io/problems/unauthenticated");
    assertThat(operations("GET", "/operations/quarantine", null, OPERATOR_TOKEN + "x").statusCode())
        .isEqualTo(401);
    assertThat(
            operations("POST", "/operations/quarantine/1/release", "{\"reason\":\"x\"}", "nope")
                .statusCode())
        .isEqualTo(401);
    assertThat(operations("GET", "/operations/quarantine/-1", null, OPERATOR_TOKEN).statusCode())
        .isEqualTo(404);
    assertThat(operations("GET", "/operations/quarantine/abc", null, OPERATOR_TOKEN).statusCode())
        .isEqualTo(400);
    assertThat(
            operations("POST", "/operations/quarantine/-1/release", "{}", OPERATOR_TOKEN)
                .statusCode())
        .as("a release needs a reason")
        .isEqualTo(400);
  }

  @Test
  void countsQuarantinedEventsAndShowsHowManyWaitForAnOperator() throws Exception {
    String run = run();
    assertThat(
            client
                .postSigned(webhook(withoutAction("EV" + run + "M", "PM" + run)), SIMULATOR_SECRET)
                .statusCode())
        .isEqualTo(204);
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + managementPort + "/actuator/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("paybridge_webhooks_events_quarantined_total{reason=\"missing_action\"")
        .contains("paybridge_webhooks_quarantine_unreleased{");
    double unreleased =
        metrics
            .lines()
            .filter(l -> l.startsWith("paybridge_webhooks_quarantine_unreleased{"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .findFirst()
            .orElseThrow();
    assertThat(unreleased).isGreaterThanOrEqualTo(1);
  }

  /**
   * Sends a marker event about {@code payment} and returns the ids of this run's records up to and
   * including it, in partition order.
   */
  private List<String> publishedUpToMarker(KafkaTestConsumer kafka, String run, String payment) {
    assertThat(
            client
                .postSigned(webhook(event(marker(run), payment, "paid_out")), SIMULATOR_SECRET)
                .statusCode())
        .isEqualTo(204);
    kafka.await(r -> marker(run).equals(r.header(EventHeaders.ID)), Duration.ofSeconds(60));
    return kafka.received().stream()
        .map(r -> r.header(EventHeaders.ID))
        .filter(id -> id != null && id.startsWith("EV" + run))
        .toList();
  }

  private HttpResponse<String> operations(String method, String path, String body, String token)
      throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private Map<String, Object> quarantinedRow(String eventId) {
    return jdbc.queryForMap("select * from quarantined_event where event_id = ?", eventId);
  }

  private int inboxCount(String eventId) {
    return jdbc.queryForObject(
        "select count(*) from gocardless_event where event_id = ?", Integer.class, eventId);
  }

  private int deliveries() {
    return jdbc.queryForObject("select count(*) from webhook_delivery", Integer.class);
  }

  private static String run() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
  }

  private static String marker(String run) {
    return "EV" + run + "MARK";
  }

  static String event(String id, String payment, String action) {
    return "{\"id\":\""
        + id
        + "\",\"created_at\":\"2026-03-02T10:15:47.578Z\",\"resource_type\":\"payments\","
        + "\"action\":\""
        + action
        + "\",\"links\":{\"payment\":\""
        + payment
        + "\",\"organisation\":\"OR00004YQ27G22\"},\"details\":{\"origin\":\"gocardless\"},"
        + "\"metadata\":{}}";
  }

  private static String withoutAction(String id, String payment) {
    return "{\"id\":\""
        + id
        + "\",\"created_at\":\"2026-03-02T10:15:47.578Z\",\"resource_type\":\"payments\","
        + "\"links\":{\"payment\":\""
        + payment
        + "\"},\"details\":{},\"metadata\":{}}";
  }

  private static byte[] webhook(String... events) {
    return ("{\"events\":["
            + String.join(",", events)
            + "],\"meta\":{\"webhook_id\":\"WB"
            + UUID.randomUUID().toString().substring(0, 8)
            + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
