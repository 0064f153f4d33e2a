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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two instances on one database share the due deliveries ({@code FOR UPDATE SKIP LOCKED}): every
 * delivery is attempted, and none twice, while both claim at once.
 */
class ReplicasIT {

  private static final String DATABASE = "notification_replicas";
  private static final int DELIVERIES = 60;

  @Test
  void twoInstancesDeliverEachDeliveryOnce() {
    String token =
        TestIssuer.get()
            .teamToken(
                "team-replicas",
                "notification-service",
                "notifications:read",
                "notifications:write");
    // A little slow, so that both instances have attempts in flight at the same time.
    try (var receiver =
            WebhookReceiver.start().replying(n -> new Reply(204, Duration.ofMillis(20), null));
        var first = SeparateInstance.start(DATABASE, Map.of());
        var second = SeparateInstance.start(DATABASE, Map.of())) {
      var created =
          Http.postJson(
              SeparateInstance.baseUrl(first) + "/notifications/endpoints",
              token,
              "{\"url\":\"" + receiver.url("/replicas") + "\",\"eventTypes\":[\"*\"]}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String endpointId = created.json().get("endpoint").get("id").asString();
      String secret = created.json().get("secret").asString();
      for (int i = 0; i < DELIVERIES; i++) {
        var instance = i % 2 == 0 ? first : second;
        var ping =
            Http.postJson(
                SeparateInstance.baseUrl(instance)
                    + "/notifications/endpoints/"
                    + endpointId
                    + "/test",
                token,
                "");
        assertThat(ping.status()).as(ping.body()).isEqualTo(202);
      }
      var jdbc = first.getBean(JdbcTemplate.class);
      // The known end: every delivery finished.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  jdbc.queryForObject(
                          "select count(*) from delivery where endpoint_id = ?::uuid and status = 'succeeded'",
                          Integer.class,
                          endpointId)
                      == DELIVERIES);
      var requests = receiver.requests();
      assertThat(requests).hasSize(DELIVERIES);
      assertThat(requests.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(DELIVERIES);
      assertThat(requests)
          .allMatch(r -> StandardWebhooksVerifier.verifies(secret, r.headers(), r.bytes()));
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from delivery_attempt a join delivery d on d.id = a.delivery_id"
                      + " where d.endpoint_id = ?::uuid",
                  Integer.class,
                  endpointId))
          .isEqualTo(DELIVERIES);
    }
  }
}
