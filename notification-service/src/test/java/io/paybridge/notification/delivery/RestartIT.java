package io.paybridge.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.notification.support.SeparateInstance;
import io.paybridge.notification.support.StandardWebhooksVerifier;
import io.paybridge.notification.support.WebhookReceiver;
import io.paybridge.notification.support.WebhookReceiver.Reply;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A retry scheduled by one instance survives it: the instance stops with a retry pending in
 * PostgreSQL, a new one (same database) makes the retry, under the same webhook-id. Both run
 * against a database of their own, so that the suite's shared instance cannot take the retry.
 */
class RestartIT {

  private static final String DATABASE = "notification_restart";
  private static final String AUDIENCE = "notification-service";

  @Test
  void aPendingRetryIsMadeByTheNextInstance() {
    var issuer = TestIssuer.get();
    String token =
        issuer.teamToken("team-restart", AUDIENCE, "notifications:read", "notifications:write");
    try (var receiver =
        WebhookReceiver.start().replying(n -> n == 1 ? Reply.status(503) : Reply.status(200))) {
      String endpointId;
      String secret;
      String deliveryId;
      try (var first = start()) {
        String base = "http://127.0.0.1:" + first.getEnvironment().getProperty("local.server.port");
        var created =
            Http.postJson(
                base + "/notifications/endpoints",
                token,
                "{\"url\":\"" + receiver.url("/restart") + "\",\"eventTypes\":[\"*\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        endpointId = created.json().get("endpoint").get("id").asString();
        secret = created.json().get("secret").asString();
        var ping =
            Http.postJson(base + "/notifications/endpoints/" + endpointId + "/test", token, "");
        assertThat(ping.status()).as(ping.body()).isEqualTo(202);
        deliveryId = ping.json().get("id").asString();
        var jdbc = first.getBean(JdbcTemplate.class);
        // The first attempt failed and its retry is scheduled (in 3 s): now the instance stops.
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    jdbc.queryForObject(
                            "select count(*) from delivery_attempt where delivery_id = ?::uuid",
                            Integer.class,
                            deliveryId)
                        == 1);
        assertThat(
                jdbc.queryForObject(
                    "select status from delivery where id = ?::uuid", String.class, deliveryId))
            .isEqualTo("pending");
      }
      assertThat(receiver.requests()).hasSize(1);

      try (var second = start()) {
        var requests = receiver.await(r -> true, 2, Duration.ofSeconds(20));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).header("webhook-id"))
            .isEqualTo(requests.get(0).header("webhook-id"));
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
        assertThat(
                StandardWebhooksVerifier.verifies(
                    secret, requests.get(1).headers(), requests.get(1).bytes()))
            .isTrue();
        String base =
            "http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port");
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    Http.get(base + "/notifications/deliveries/" + deliveryId, token)
                        .json()
                        .get("status")
                        .asString()
                        .equals("succeeded"));
        JsonNode log =
            Http.get(base + "/notifications/deliveries/" + deliveryId, token)
                .json()
                .get("attemptLog");
        assertThat(log).extracting(a -> a.get("statusCode").asInt()).containsExactly(503, 200);
      }
    }
  }

  private static ConfigurableApplicationContext start() {
    return SeparateInstance.start(
        DATABASE,
        Map.of(
            "paybridge.notification.delivery.retry-schedule", "3s",
            "paybridge.notification.delivery.jitter", "0"));
  }
}
