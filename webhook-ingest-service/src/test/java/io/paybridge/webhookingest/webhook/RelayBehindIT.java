package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * While the relay publishes but its events wait longer than {@code max-relay-lag} for Kafka, a
 * genuine delivery is answered 503 {@code relay-behind} before anything is stored; redelivered once
 * the relay has caught up, it is accepted and published once.
 *
 * <p>A limit of 1 ms makes the relay "behind" after any batch it relays: webhooks sent one after
 * another keep it so until one is refused. With nothing new accepted, the relay's report falls back
 * to zero and the refused delivery goes through.
 */
@IntegrationTest(
    properties = {
      "paybridge.webhooks.gocardless.max-relay-lag=1ms",
      "paybridge.outbox.backlog-report-interval=50ms"
    })
class RelayBehindIT {

  @LocalServerPort int port;
  @Autowired ObjectMapper mapper;

  private final JdbcTemplate service =
      new JdbcTemplate(EmbeddedPostgresServer.shared().dataSource("webhook_ingest_service"));

  @Test
  void refusesDeliveriesWhileTheRelayIsBehindAndAcceptsThemOnceItCaughtUp() throws Exception {
    var client = new WebhookClient(port);
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      HttpResponse<String> refused = null;
      String refusedId = null;
      byte[] refusedBody = null;
      for (int attempt = 0; attempt < 400 && refused == null; attempt++) {
        String id = WebhookStorageOutageIT.newEventId();
        byte[] body = GoCardlessWebhookIT.webhook(List.of(id), "payments", "confirmed");
        var response = client.postSigned(body, SIMULATOR_SECRET);
        if (response.statusCode() == 503) {
          refused = response;
          refusedId = id;
          refusedBody = body;
        } else {
          assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
          Thread.sleep(25);
        }
      }
      assertThat(refused).as("a delivery refused while the relay was behind").isNotNull();
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(mapper.readTree(refused.body()).path("type").asString())
          .isEqualTo("https://paybridge.io/problems/relay-behind");
      assertThat(WebhookStorageOutageIT.inboxCount(service, refusedId))
          .as("nothing stored for a refused delivery")
          .isZero();

      WebhookStorageOutageIT.assertRedeliveryAcceptedAndPublishedOnce(
          client, kafka, service, refusedId, refusedBody);
    }
  }

  @Test
  void forgedDeliveriesAreStillAnswered498() {
    // The signature is checked before the relay's backlog: a forger learns nothing about it.
    var response =
        new WebhookClient(port)
            .postSigned(
                GoCardlessWebhookIT.webhook(
                    List.of(WebhookStorageOutageIT.newEventId()), "payments", "confirmed"),
                "not-the-secret");
    assertThat(response.statusCode()).isEqualTo(498);
  }
}
