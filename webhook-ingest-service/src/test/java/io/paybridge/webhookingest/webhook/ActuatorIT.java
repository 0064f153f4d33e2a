package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.testsupport.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** What operators see: health of the database, Kafka and the relay, and Prometheus metrics. */
@IntegrationTest
class ActuatorIT {

  @LocalServerPort int port;
  @Autowired ObjectMapper mapper;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void reportsDatabaseKafkaAndRelayHealth() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "LEADER"
                    .equals(
                        health()
                            .path("components")
                            .path("outboxRelay")
                            .path("details")
                            .path("role")
                            .asString()));
    JsonNode health = health();
    assertThat(health.path("status").asString()).isEqualTo("UP");
    assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("UP");
    assertThat(health.path("components").path("kafka").path("status").asString()).isEqualTo("UP");
    assertThat(health.path("components").path("outboxRelay").path("status").asString())
        .isEqualTo("UP");
    assertThat(health.path("components").path("outboxRelay").path("details").has("backlogBytes"))
        .isTrue();
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
  }

  @Test
  void exposesWebhookAndRelayMetricsToPrometheus() throws Exception {
    var client = new WebhookClient(port);
    String id = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    assertThat(
            client
                .postSigned(
                    GoCardlessWebhookIT.webhook(List.of(id), "mandates", "active"),
                    SIMULATOR_SECRET)
                .statusCode())
        .isEqualTo(204);
    assertThat(client.post("{}".getBytes(), "bad").statusCode()).isEqualTo(498);

    String metrics = get("/actuator/prometheus").body();
    assertThat(metrics)
        .contains("paybridge_webhooks_received_total{outcome=\"accepted\"")
        .contains("paybridge_webhooks_received_total{outcome=\"invalid_signature\"")
        .contains("paybridge_webhooks_events_total{resource_type=\"mandates\",result=\"new\"")
        .contains("paybridge_outbox_relay_leader")
        .contains("paybridge_outbox_backlog_bytes")
        .contains("paybridge_outbox_relay_behind_seconds")
        .contains("paybridge_outbox_relay_lag_seconds_bucket");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get("/actuator/prometheus")
                    .body()
                    .contains(
                        "paybridge_outbox_relayed_total{service=\"webhook-ingest-service\",topic=\"gocardless.mandates\"}"));
  }

  private JsonNode health() throws Exception {
    return mapper.readTree(get("/actuator/health").body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
