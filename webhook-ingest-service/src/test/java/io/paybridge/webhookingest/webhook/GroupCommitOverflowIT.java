package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A group full by its events: the delivery that did not fit in it is the first of the writer's next
 * group, written and answered like any other, not left waiting for its deadline. One writer that
 * waits up to 500 ms for more deliveries, and groups of at most three events, so that three
 * deliveries of two events each sent together make three groups.
 */
@IntegrationTest(
    properties = {
      "paybridge.webhooks.gocardless.group-commit.writers=1",
      "paybridge.webhooks.gocardless.group-commit.max-wait=500ms",
      "paybridge.webhooks.gocardless.group-commit.max-events=3"
    })
class GroupCommitOverflowIT {

  @LocalServerPort int port;

  private final JdbcTemplate service =
      new JdbcTemplate(EmbeddedPostgresServer.shared().dataSource("webhook_ingest_service"));

  @Test
  void theDeliveryThatDidNotFitInAGroupIsWrittenInTheNext() {
    String run =
        "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    var bodies =
        List.of(
            GoCardlessWebhookIT.webhook(List.of(run + "A1", run + "A2"), "payments", "confirmed"),
            GoCardlessWebhookIT.webhook(List.of(run + "B1", run + "B2"), "payments", "confirmed"),
            GoCardlessWebhookIT.webhook(List.of(run + "C1", run + "C2"), "payments", "confirmed"));
    var client = new WebhookClient(port);

    var responses = client.postSignedTogether(bodies, SIMULATOR_SECRET);

    assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(204, 204, 204);
    assertThat(
            service.queryForObject(
                "select count(*) from gocardless_event where event_id like ?",
                Integer.class,
                run + "%"))
        .isEqualTo(6);
    assertThat(
            service.queryForObject(
                "select count(distinct xmin::text) from gocardless_event where event_id like ?",
                Integer.class,
                run + "%"))
        .as("three groups: two events fit in one, four do not")
        .isEqualTo(3);
  }
}
