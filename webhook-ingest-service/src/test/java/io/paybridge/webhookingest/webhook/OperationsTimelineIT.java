package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * webhook-ingest-service's part of an event's timeline: a GoCardless webhook delivered twice (a
 * retry with the same webhook id), the event stored once in the inbox and the outbox, and the Kafka
 * record at the partition and offset a consumer read it at.
 */
@IntegrationTest
class OperationsTimelineIT {

  @LocalServerPort int port;

  @Test
  void showsBothDeliveriesTheInboxTheOutboxAndTheKafkaRecordOfAnEvent() {
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String eventId = "EV" + run;
    String payment = "PM" + run;
    byte[] body =
        ("{\"events\":["
                + QuarantineIT.event(eventId, payment, "confirmed")
                + "],\"meta\":{\"webhook_id\":\"WB"
                + run
                + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
    var client = new WebhookClient(port);
    KafkaTestConsumer.Received record;
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      assertThat(client.postSigned(body, SIMULATOR_SECRET).statusCode()).isEqualTo(204);
      record = kafka.await(r -> eventId.equals(r.header(EventHeaders.ID)), Duration.ofSeconds(60));
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kinds(timeline(eventId)).contains("kafka-record"));
    JsonNode answer = timeline(eventId);

    assertThat(answer.path("query").asString()).isEqualTo(eventId);
    assertThat(kinds(answer))
        .containsExactlyInAnyOrder(
            "delivery-received",
            "delivery-received",
            "inbox-stored",
            "outbox-written",
            "kafka-record");
    var times = new ArrayList<Instant>();
    answer.path("steps").forEach(step -> times.add(Instant.parse(step.path("at").asString())));
    assertThat(times).isSorted();
    JsonNode kafkaRecord = step(answer, "kafka-record");
    assertThat(kafkaRecord.path("detail").path("topic").asString())
        .isEqualTo(Topics.GOCARDLESS_PAYMENTS);
    assertThat(kafkaRecord.path("detail").path("partition").asInt()).isEqualTo(record.partition());
    assertThat(kafkaRecord.path("detail").path("offset").asLong()).isEqualTo(record.offset());
    assertThat(step(answer, "delivery-received").path("detail").path("webhookId").asString())
        .isEqualTo("WB" + run);
    // Asked by the payment, the same event's inbox row and records answer too.
    assertThat(kinds(timeline(payment))).contains("inbox-stored", "outbox-written", "kafka-record");
    // Never a body or a signature.
    assertThat(answer.toString()).doesNotContain("OR00004YQ27G22").doesNotContain("signature");
  }

  @Test
  void listsARefusedWebhookAndFindsItByItsRequestId() {
    String requestId = "req-" + UUID.randomUUID();
    var refused =
        Http.postJsonWithHeaders(
            "http://localhost:" + port + "/webhooks/gocardless",
            null,
            "{\"events\":[]}",
            java.util.Map.of("Webhook-Signature", "0".repeat(64), "X-Request-Id", requestId));
    assertThat(refused.status()).isEqualTo(498);

    var rejections =
        Http.get(
                "http://localhost:" + port + "/operations/rejections?limit=1000",
                QuarantineIT.OPERATOR_TOKEN)
            .json()
            .path("rejections");
    JsonNode ours = null;
    for (JsonNode rejection : rejections) {
      if (requestId.equals(rejection.path("requestId").asString())) {
        ours = rejection;
      }
    }
    assertThat(ours).as(rejections.toString()).isNotNull();
    assertThat(ours.path("status").asInt()).isEqualTo(498);
    assertThat(ours.path("reason").asString()).isNotBlank();
    assertThat(ours.toString()).doesNotContain("0".repeat(64));
    assertThat(kinds(timeline(requestId))).containsExactly("delivery-rejected");
  }

  @Test
  void answersOnlyAnOperator() {
    var anonymous = Http.get("http://localhost:" + port + "/operations/timeline?q=EV1", null);
    var stranger =
        Http.get("http://localhost:" + port + "/operations/relay", "not-an-operator-token");

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(stranger.status()).isEqualTo(401);
  }

  @Test
  void reportsItsRelay() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "publishing"
                    .equals(
                        Http.get(
                                "http://localhost:" + port + "/operations/relay",
                                QuarantineIT.OPERATOR_TOKEN)
                            .json()
                            .path("state")
                            .asString()));
    var relay =
        Http.get("http://localhost:" + port + "/operations/relay", QuarantineIT.OPERATOR_TOKEN)
            .json();
    assertThat(relay.path("service").asString()).isEqualTo("webhook-ingest-service");
    assertThat(relay.path("leader").asBoolean()).isTrue();
  }

  private JsonNode timeline(String id) {
    var response =
        Http.get(
            "http://localhost:" + port + "/operations/timeline?q=" + id,
            QuarantineIT.OPERATOR_TOKEN);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static List<String> kinds(JsonNode answer) {
    var kinds = new ArrayList<String>();
    answer.path("steps").forEach(step -> kinds.add(step.path("kind").asString()));
    return kinds;
  }

  private static JsonNode step(JsonNode answer, String kind) {
    for (JsonNode step : answer.path("steps")) {
      if (kind.equals(step.path("kind").asString())) {
        return step;
      }
    }
    throw new AssertionError("No " + kind + " step in " + answer);
  }
}
