package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.EXAMPLE_APP_SECRET;
import static io.paybridge.webhookingest.webhook.WebhookClient.JAVA_VECTOR_SECRET;
import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static io.paybridge.webhookingest.webhook.WebhookClient.example;
import static org.assertj.core.api.Assertions.assertThat;

import com.gocardless.Webhook;
import com.gocardless.resources.Event;
import io.paybridge.platform.events.CloudEventHeaders;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

@IntegrationTest
class GoCardlessWebhookIT {

  private static final String[] ALL_TOPICS = Topics.gocardlessTopics().toArray(String[]::new);

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired ObjectMapper mapper;
  WebhookClient client;

  @BeforeEach
  void client() {
    client = new WebhookClient(port);
  }

  @Test
  void acceptsGoCardlessJavaTestVectorAndPublishesEachEventWithKeyAndHeaders() {
    byte[] body = example("01_webhook_java_test_vector.json");
    String signature = "2693754819d3e32d7e8fcb13c729631f316c6de8dc1cf634d6527f1c07276e7e";
    List<Event> official =
        Webhook.parse(new String(body, StandardCharsets.UTF_8), signature, JAVA_VECTOR_SECRET);
    deleteEvents(official.stream().map(Event::getId).toList()); // the vector is fixed: start afresh

    try (var kafka = KafkaTestConsumer.fromNow(ALL_TOPICS)) {
      var response = client.post(body, signature);
      assertThat(response.statusCode()).isEqualTo(204);

      var subscription =
          kafka
              .await(r -> "EV00BD05S5VM2T".equals(r.header(EventHeaders.ID)))
              .hasKey("SB0003JJQ2MR06")
              .hasHeader(EventHeaders.EVENT_TYPE, "subscriptions.created")
              .hasHeader(CloudEventHeaders.ID, "EV00BD05S5VM2T")
              .hasHeader(CloudEventHeaders.TYPE, "subscriptions.created")
              .hasHeader(CloudEventHeaders.SOURCE, "/paybridge/webhook-ingest-service")
              .hasHeader(CloudEventHeaders.SPECVERSION, "1.0");
      assertThat(subscription.topic()).isEqualTo(Topics.GOCARDLESS_SUBSCRIPTIONS);
      assertThat(subscription.header(EventHeaders.TRACEPARENT))
          .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
      var mandate =
          kafka
              .await(r -> "EV00BD05TB8K63".equals(r.header(EventHeaders.ID)))
              .hasKey("MD000AMA19XGEC")
              .hasHeader(EventHeaders.EVENT_TYPE, "mandates.created");
      assertThat(mandate.topic()).isEqualTo(Topics.GOCARDLESS_MANDATES);

      // The official client parses the same delivery into the same events we published.
      assertThat(official)
          .extracting(Event::getId)
          .containsExactly("EV00BD05S5VM2T", "EV00BD05TB8K63");
      // Each payload is the event's JSON exactly as it stands in the delivery.
      String text = new String(body, StandardCharsets.UTF_8);
      assertThat(text).contains(subscription.value()).contains(mandate.value());
      assertThat(subscription.value()).startsWith("{\"id\":\"EV00BD05S5VM2T\"").endsWith("}");
    }
  }

  @Test
  void acceptsExampleAppVectorAndPartnerMultiEventVectorUnderRotatedSecrets() {
    byte[] exampleApp = example("02_webhook_java_example_app_vector.json");
    byte[] partner = example("03_webhook_partner_multi_event.json");
    String exampleAppSignature = "4d48a688e8bd6c313e3eecc78fa55b3e4ae23c65e70cf35038010f47742fb670";
    String partnerSignature = "e3cba7fadd6f301f4833b11ab4e6fe5fe3dc739f6c4c7a8e59fffde10cb0032d";
    List<Event> officialExampleApp =
        Webhook.parse(
            new String(exampleApp, StandardCharsets.UTF_8),
            exampleAppSignature,
            EXAMPLE_APP_SECRET);
    List<Event> officialPartner =
        Webhook.parse(
            new String(partner, StandardCharsets.UTF_8), partnerSignature, SIMULATOR_SECRET);
    deleteEvents(officialExampleApp.stream().map(Event::getId).toList());
    deleteEvents(officialPartner.stream().map(Event::getId).toList());

    try (var kafka = KafkaTestConsumer.fromNow(ALL_TOPICS)) {
      assertThat(client.post(exampleApp, exampleAppSignature).statusCode()).isEqualTo(204);
      assertThat(client.post(partner, partnerSignature).statusCode()).isEqualTo(204);

      var ids =
          java.util.stream.Stream.concat(officialExampleApp.stream(), officialPartner.stream())
              .map(Event::getId)
              .toList();
      var records =
          kafka.awaitDistinctIds(
              r -> ids.contains(r.header(EventHeaders.ID)), ids.size(), Duration.ofSeconds(30));
      assertThat(records).hasSize(ids.size());

      var fulfilled =
          records.stream()
              .filter(r -> "EV01PZ456CHC2S".equals(r.header(EventHeaders.ID)))
              .findFirst()
              .orElseThrow();
      fulfilled
          .hasKey("BRQ0006T4Y5J9D3")
          .hasHeader(EventHeaders.EVENT_TYPE, "billing_requests.fulfilled")
          .hasHeader(EventHeaders.ORGANISATION_ID, "OR00004YQ27G22");
      assertThat(fulfilled.topic()).isEqualTo(Topics.GOCARDLESS_BILLING_REQUESTS);
      var creditor =
          records.stream()
              .filter(r -> "EV01PZ4A0MNB77".equals(r.header(EventHeaders.ID)))
              .findFirst()
              .orElseThrow();
      creditor.hasKey("CR000070S65B1S");
      assertThat(creditor.topic()).isEqualTo(Topics.GOCARDLESS_CREDITORS);
      var submitted =
          records.stream()
              .filter(r -> "EV0000ED6V59V1".equals(r.header(EventHeaders.ID)))
              .findFirst()
              .orElseThrow();
      submitted.hasKey("PM00008Q30R2BR").hasHeader(EventHeaders.EVENT_TYPE, "payments.submitted");
      assertThat(submitted.header(EventHeaders.ORGANISATION_ID)).isNull();
    }
  }

  @Test
  void refusesAForgedOrMissingSignatureWith498AndStoresAndPublishesNothing() throws Exception {
    byte[] body = uniqueWebhook("payments", "confirmed", 1);
    String tampered = "4d48a688e8bd6c313e3eecc78fa55b3e4ae23c65e70cf35038010f47742fb671";
    byte[] exampleApp = example("02_webhook_java_example_app_vector.json");
    int deliveriesBefore = deliveries();
    try (var kafka = KafkaTestConsumer.fromNow(ALL_TOPICS)) {
      var forged = client.post(exampleApp, tampered);
      assertThat(forged.statusCode()).isEqualTo(498);
      assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonNode problem = mapper.readTree(forged.body());
      assertThat(problem.path("type").asString())
          .isEqualTo("https://paybridge.io/problems/invalid-webhook-signature");
      assertThat(problem.path("status").asInt()).isEqualTo(498);
      assertThat(problem.path("requestId").asString()).isNotBlank();

      assertThat(client.post(body, null).statusCode()).isEqualTo(498);
      assertThat(client.postSigned(body, "not-one-of-our-secrets").statusCode()).isEqualTo(498);
      assertThat(client.post(body, "dummy").statusCode()).isEqualTo(498);
      // Upper-case hex is not what GoCardless sends: compared byte for byte, it does not match.
      assertThat(
              client
                  .post(body, WebhookSignature.sign(SIMULATOR_SECRET, body).toUpperCase())
                  .statusCode())
          .isEqualTo(498);

      assertThat(deliveries()).isEqualTo(deliveriesBefore);
      String id = eventIds(body).getFirst();
      assertThat(
              kafka.readPastMarker(
                  jdbc.getDataSource(),
                  Topics.GOCARDLESS_OTHER,
                  r -> id.equals(r.header(EventHeaders.ID)),
                  Duration.ofSeconds(30)))
          .isEmpty();
    }
  }

  @Test
  void answersOtherSpellingsOfTheWebhookPathLikeThePathOrNotAtAllNeverWithAnError() {
    // The admission limit is a filter mapped to the path and the controller a handler of it: a
    // spelling that reaches the one must reach the other (the controller refuses to run without an
    // admission), so each is either the webhook (204), refused by Spring Security's firewall as a
    // suspicious path (400), or no resource (404).
    for (String path :
        List.of(
            "/webhooks/gocardless;v=1",
            "/webhooks/gocardless/",
            "//webhooks/gocardless",
            "/webhooks/./gocardless",
            "/webhooks/GoCardless")) {
      byte[] body = uniqueWebhook("payments", "confirmed", 1);
      var response = new WebhookClient(port, path).postSigned(body, SIMULATOR_SECRET);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(204, 400, 404);
    }
  }

  @Test
  void refusesABodyAboveTheSizeLimitWith413() throws Exception {
    byte[] body = new byte[512 * 1024 + 1];
    java.util.Arrays.fill(body, (byte) ' ');
    body[0] = '{';
    body[body.length - 1] = '}';
    var response = client.postSigned(body, SIMULATOR_SECRET);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(mapper.readTree(response.body()).path("type").asString())
        .isEqualTo("https://paybridge.io/problems/webhook-too-large");
  }

  @Test
  void storesTheDeliveryAndItsEventsBeforeAcknowledging() {
    byte[] body = uniqueWebhook("mandates", "active", 3);
    var response = client.postSigned(body, SIMULATOR_SECRET);
    assertThat(response.statusCode()).isEqualTo(204);
    // Read right after the 204: the commit happened before the answer.
    var ids = eventIds(body);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from gocardless_event where event_id = any(?)",
                Integer.class,
                (Object) ids.toArray(String[]::new)))
        .isEqualTo(3);
    byte[] stored =
        jdbc.queryForObject(
            "select d.body from webhook_delivery d join gocardless_event e on e.delivery_id = d.id where e.event_id = ?",
            byte[].class,
            ids.getFirst());
    assertThat(stored).isEqualTo(body);
  }

  @Test
  void publishesEachEventOnceWhenAWebhookIsDeliveredTwiceOrBatchesOverlap() {
    String run = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    List<String> first = List.of(run + "A", run + "B", run + "C");
    List<String> overlapping =
        List.of(run + "C", run + "D", run + "D"); // C again, D twice in one batch
    byte[] batch1 = webhook(first, "payments", "paid_out");
    byte[] batch2 = webhook(overlapping, "payments", "paid_out");
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      assertThat(client.postSigned(batch1, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      assertThat(client.postSigned(batch1, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      assertThat(client.postSigned(batch2, SIMULATOR_SECRET).statusCode()).isEqualTo(204);

      Predicate<KafkaTestConsumer.Received> ours = r -> r.header(EventHeaders.ID).startsWith(run);
      kafka.awaitDistinctIds(ours, 4, Duration.ofSeconds(30));
      var records =
          kafka.readPastMarker(
              jdbc.getDataSource(), Topics.GOCARDLESS_PAYMENTS, ours, Duration.ofSeconds(30));
      assertThat(records)
          .extracting(r -> r.header(EventHeaders.ID))
          .containsExactlyInAnyOrder(run + "A", run + "B", run + "C", run + "D");
    }
  }

  @Test
  void acceptsABatchOf250EventsAndPublishesEveryOne() {
    String run = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    List<String> ids = IntStream.range(0, 250).mapToObj(i -> run + "N" + i).toList();
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      assertThat(
              client
                  .postSigned(webhook(ids, "payments", "confirmed"), SIMULATOR_SECRET)
                  .statusCode())
          .isEqualTo(204);
      var records =
          kafka.awaitDistinctIds(
              r -> r.header(EventHeaders.ID).startsWith(run), 250, Duration.ofSeconds(60));
      assertThat(records.stream().map(r -> r.header(EventHeaders.ID)).collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  @Test
  void givesNullIdDisconnectEventsADeterministicIdAndCatchesTheirDuplicates() {
    String organisation =
        "OR" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String body =
        new String(example("04_webhook_organisation_disconnected.json"), StandardCharsets.UTF_8)
            .replace("OR00004YQ27G22", organisation);
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_ORGANISATIONS)) {
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);

      var record =
          kafka
              .await(r -> organisation.equals(r.key()))
              .hasHeader(EventHeaders.EVENT_TYPE, "organisations.disconnected")
              .hasHeader(EventHeaders.ORGANISATION_ID, organisation);
      assertThat(record.header(EventHeaders.ID))
          .startsWith("synthetic-")
          .hasSize("synthetic-".length() + 32);
      assertThat(record.value())
          .contains("\"id\": null"); // the payload stays as GoCardless sent it
      assertThat(
              kafka.readPastMarker(
                  jdbc.getDataSource(),
                  Topics.GOCARDLESS_ORGANISATIONS,
                  r -> organisation.equals(r.key()),
                  Duration.ofSeconds(30)))
          .hasSize(1);
    }
  }

  @Test
  void routesUnknownResourceTypesToTheOtherTopicWithoutDroppingThem() {
    String id = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String body =
        "{\"events\":[{\"id\":\""
            + id
            + "\",\"created_at\":\"2026-03-02T10:15:47.578Z\",\"resource_type\":\"outbound_payments\",\"action\":\"executed\","
            + "\"links\":{\"outbound_payment\":\"OUT123\",\"organisation\":\"OR1\"},\"details\":{},\"metadata\":{}}],\"meta\":{\"webhook_id\":\"WB1\"}}";
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_OTHER)) {
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      kafka
          .await(r -> id.equals(r.header(EventHeaders.ID)))
          .hasKey("OUT123")
          .hasHeader(EventHeaders.EVENT_TYPE, "outbound_payments.executed");
    }
  }

  @Test
  void aBodyCutShortIsTheSendersFailureNotTheServices() throws Exception {
    byte[] body = uniqueWebhook("payments", "confirmed", 1);
    int before = deliveries();
    KeptConnection.Response response;
    try (var connection = new KeptConnection(port)) {
      response = connection.postSignedHalfAndStop(body, SIMULATOR_SECRET);
    }
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(mapper.readTree(response.body()).path("type").asString())
        .isEqualTo("https://paybridge.io/problems/incomplete-webhook-body");
    assertThat(deliveries()).isEqualTo(before);
  }

  @Test
  void acceptsLongIdentifiersInLinksWithoutFailingTheDelivery() {
    String id = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String longPayment = "PM" + "X".repeat(120);
    String body =
        "{\"events\":[{\"id\":\""
            + id
            + "\",\"created_at\":\"2026-03-02T10:15:47.578Z\",\"resource_type\":\"payments\","
            + "\"action\":\"created\",\"links\":{\"payment\":\""
            + longPayment
            + "\",\"organisation\":\"OR"
            + "Y".repeat(100)
            + "\"},\"details\":{},\"metadata\":{}}]}";
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      kafka.await(r -> id.equals(r.header(EventHeaders.ID))).hasKey(longPayment);
    }
  }

  private int deliveries() {
    return jdbc.queryForObject("select count(*) from webhook_delivery", Integer.class);
  }

  private void deleteEvents(List<String> ids) {
    jdbc.update(
        "delete from gocardless_event where event_id = any(?)",
        (Object) ids.toArray(String[]::new));
  }

  private List<String> eventIds(byte[] body) {
    var ids = new java.util.ArrayList<String>();
    mapper.readTree(body).path("events").forEach(e -> ids.add(e.path("id").asString()));
    return ids;
  }

  private static byte[] uniqueWebhook(String resourceType, String action, int count) {
    String run = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    return webhook(
        IntStream.range(0, count).mapToObj(i -> run + "U" + i).toList(), resourceType, action);
  }

  static byte[] webhook(List<String> ids, String resourceType, String action) {
    // the fixtures' resource types all make their link by dropping the final s
    String link = resourceType.substring(0, resourceType.length() - 1);
    String events =
        ids.stream()
            .map(
                id ->
                    "{\"id\":\""
                        + id
                        + "\",\"created_at\":\"2026-03-02T10:15:47.578Z\",\"resource_type\":\""
                        + resourceType
                        + "\",\"action\":\""
                        + action
                        + "\",\"links\":{\""
                        + link
                        + "\":\"R"
                        + id
                        + "\",\"organisation\":\"OR00004YQ27G22\"},\"details\":{\"origin\":\"gocardless\"},\"metadata\":{}}")
            .collect(Collectors.joining(","));
    return ("{\"events\":["
            + events
            + "],\"meta\":{\"webhook_id\":\"WB"
            + UUID.randomUUID().toString().substring(0, 8)
            + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
