package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The database goes away: webhooks are answered 503 (GoCardless delivers them again later), nothing
 * is acknowledged or published; when it returns, the redelivery is accepted and published once.
 */
@IntegrationTest
class WebhookStorageOutageIT {

  private static final String DATABASE = "webhook_ingest_service";

  @LocalServerPort int port;
  @Autowired ObjectMapper mapper;

  @Test
  void answers503WhileTheDatabaseIsUnreachableAndAcceptsTheRedeliveryOnceItIsBack()
      throws Exception {
    var admin = new JdbcTemplate(EmbeddedPostgresServer.shared().dataSource("postgres"));
    var client = new WebhookClient(port);
    String id = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    byte[] body = GoCardlessWebhookIT.webhook(List.of(id), "payments", "failed");
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      try {
        admin.execute("alter database " + DATABASE + " allow_connections false");
        admin.queryForList(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = ?", DATABASE);

        var refused = client.postSigned(body, SIMULATOR_SECRET);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(mapper.readTree(refused.body()).path("type").asString())
            .isEqualTo("https://paybridge.io/problems/storage-unavailable");
      } finally {
        admin.execute("alter database " + DATABASE + " allow_connections true");
      }

      // GoCardless retries; once the database is back the same delivery is accepted.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.postSigned(body, SIMULATOR_SECRET).statusCode() == 204);
      kafka.await(r -> id.equals(r.header(EventHeaders.ID)));
      assertThat(kafka.drain(r -> id.equals(r.header(EventHeaders.ID)), Duration.ofSeconds(2)))
          .as("published once, although delivered until accepted")
          .hasSize(1);
    }
  }
}
