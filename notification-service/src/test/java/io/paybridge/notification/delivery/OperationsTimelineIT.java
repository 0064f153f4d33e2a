package io.paybridge.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.notification.support.NotificationHarness;
import io.paybridge.notification.support.WebhookReceiver;
import io.paybridge.notification.support.WebhookReceiver.Reply;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * notification-service's part of a fact's timeline, asked by the fact's id: the fact consumed, then
 * each attempt to deliver it to a real receiver (one refused, one accepted), in that order; no
 * receiver URL and no body in the answer.
 */
class OperationsTimelineIT extends NotificationHarness {

  private static final String OPERATOR =
      issuer.teamToken("operations", AUDIENCE, "operations:read");

  @Test
  void showsAFactConsumedAndEachAttemptToDeliverIt() {
    String team = newTeam();
    try (var receiver =
        WebhookReceiver.start().replying(n -> n == 1 ? Reply.status(500) : Reply.status(204))) {
      JsonNode created = createWebhook(team, receiver.url("/timeline"), "billing.*");
      String factId =
          publish(
              Topics.BILLING_PAYMENT,
              "PM0TL",
              "PaymentConfirmed",
              team,
              "{\"paymentId\":\"PM0TL\"}");
      awaitFinished(team, created.get("endpoint").get("id").asString(), 1, Duration.ofSeconds(20));

      var response = Http.get(url("/operations/timeline?q=" + factId), OPERATOR);

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      var kinds = new ArrayList<String>();
      response.json().path("steps").forEach(step -> kinds.add(step.path("kind").asString()));
      assertThat(kinds)
          .containsExactly("consumed", "notification-failed", "notification-delivered");
      JsonNode failed = response.json().path("steps").get(1).path("detail");
      assertThat(failed.path("statusCode").asInt()).isEqualTo(500);
      assertThat(failed.path("attempt").asInt()).isEqualTo(1);
      assertThat(failed.path("team").asString()).isEqualTo(team);
      assertThat(response.body()).doesNotContain(receiver.url("/timeline"));
    }
  }

  @Test
  void needsTheOperationsScope() {
    var team = Http.get(url("/operations/timeline?q=EV1"), token(newTeam()));
    var relay = Http.get(url("/operations/relay"), OPERATOR);

    assertThat(team.status()).isEqualTo(403);
    assertThat(relay.status()).isEqualTo(200);
    assertThat(relay.json().path("service").asString()).isEqualTo("notification-service");
  }
}
