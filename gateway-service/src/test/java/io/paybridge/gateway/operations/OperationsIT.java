package io.paybridge.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's joined operator reads, in front of real HTTP servers standing in for the services.
 */
class OperationsIT extends GatewayHarness {

  private static final String OPERATOR = teamToken("operations", "operations:read");

  @Test
  void joinsOneEventsWayThroughEveryServiceInTimeOrder() {
    OperationsFixture.servicesAnswer();

    var response = Http.get(url("/operations/timeline?q=" + OperationsFixture.EVENT), OPERATOR);

    assertThat(response.status()).isEqualTo(200);
    JsonNode answer = response.json();
    assertThat(answer.path("query").asString()).isEqualTo(OperationsFixture.EVENT);
    var kinds = new ArrayList<String>();
    var services = new ArrayList<String>();
    for (JsonNode step : answer.path("steps")) {
      kinds.add(step.path("kind").asString());
      services.add(step.path("service").asString());
    }
    // notification-service knows the fact's id only: the gateway followed it from billing's answer.
    assertThat(kinds)
        .containsExactly(
            "delivery-received",
            "inbox-stored",
            "outbox-written",
            "kafka-record",
            "consumed",
            "outbox-written",
            "kafka-record",
            "consumed",
            "notification-delivered");
    assertThat(services.getLast()).isEqualTo("notification-service");
    assertThat(answer.path("unavailable").size()).isZero();
  }

  @Test
  void passesTheCallersTokenOnAndPresentsWebhookIngestItsOperatorToken() {
    OperationsFixture.servicesAnswer();

    Http.get(url("/operations/timeline?q=" + OperationsFixture.EVENT), OPERATOR);

    var toBilling = BILLING.received().getFirst();
    assertThat(toBilling.path()).isEqualTo("/operations/timeline");
    assertThat(toBilling.header("Authorization")).isEqualTo("Bearer " + OPERATOR);
    var toIngest = WEBHOOK_INGEST.received().getFirst();
    assertThat(toIngest.header("Authorization"))
        .isEqualTo("Bearer " + WEBHOOK_INGEST_OPERATOR_TOKEN);
  }

  @Test
  void listsAServiceThatFailsAsUnavailableAndAnswersWithTheOthers() {
    OperationsFixture.servicesAnswer(NOTIFICATION);

    var timeline = Http.get(url("/operations/timeline?q=" + OperationsFixture.EVENT), OPERATOR);
    var relays = Http.get(url("/operations/relays"), OPERATOR);

    assertThat(timeline.status()).isEqualTo(200);
    assertThat(timeline.json().path("unavailable").toString())
        .isEqualTo("[\"notification-service\"]");
    assertThat(timeline.json().path("steps").size()).isEqualTo(7);
    assertThat(relays.status()).isEqualTo(200);
    assertThat(relays.json().path("unavailable").toString())
        .isEqualTo("[\"notification-service\"]");
    var relayServices = new ArrayList<String>();
    relays.json().path("relays").forEach(r -> relayServices.add(r.path("service").asString()));
    assertThat(relayServices)
        .containsExactly("webhook-ingest-service", "oauth-service", "billing-service");
    assertThat(relays.json().path("relays").get(0).path("lagMs").asLong()).isEqualTo(12);
  }

  @Test
  void refusesATokenWithoutTheOperationsScope() {
    OperationsFixture.servicesAnswer();

    var response =
        Http.get(
            url("/operations/timeline?q=" + OperationsFixture.EVENT),
            teamToken("team-a", "payments:read"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(BILLING.received()).isEmpty();
  }

  @Test
  void refusesAQuestionThatIsNoId() {
    var missing = Http.get(url("/operations/timeline"), OPERATOR);
    var notAnId = Http.get(url("/operations/timeline?q=" + Http.encode("EV1' or 1=1")), OPERATOR);

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().path("type").asString())
        .isEqualTo("https://paybridge.io/problems/invalid-request");
    assertThat(notAnId.status()).isEqualTo(400);
  }

  @Test
  void passesWebhookIngestsRecentRejectionsOn() {
    OperationsFixture.servicesAnswer();

    var response = Http.get(url("/operations/rejections?limit=10"), OPERATOR);

    assertThat(response.status()).isEqualTo(200);
    JsonNode rejection = response.json().path("rejections").get(0);
    assertThat(rejection.path("requestId").asString()).isEqualTo("req-498");
    assertThat(rejection.path("status").asInt()).isEqualTo(498);
    assertThat(WEBHOOK_INGEST.received().getLast().query()).isEqualTo("limit=10");
    assertThat(Http.get(url("/operations/rejections?limit=0"), OPERATOR).status()).isEqualTo(400);
  }

  @Test
  void theServerEndsAnExchangeBeforeReadingTheNextRequestOfItsConnection() throws Exception {
    // A request right after a 400, on the same keep-alive connection, once waited two minutes
    // unread: the server runs with Reactor Netty's setting that ends the previous exchange first
    // (GatewayServiceApplication). Read back from the server's own HTTP handler, which reads it
    // once.
    assertThat(Http.get(url("/operations/rejections?limit=0"), OPERATOR).status()).isEqualTo(400);
    assertThat(Http.get(url("/operations/rejections?limit=0"), OPERATOR).status()).isEqualTo(400);

    var setting =
        Class.forName("reactor.netty.http.server.HttpTrafficHandler")
            .getDeclaredField("LAST_FLUSH_WHEN_NO_READ");
    setting.setAccessible(true);
    assertThat(setting.getBoolean(null)).isTrue();
  }
}
