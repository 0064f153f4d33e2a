package io.paybridge.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The joined operator endpoints: every service asked with the caller's token, answers merged newest
 * first with their service, a service that fails listed as unavailable, a replay sent to the
 * service its body names.
 */
class OperationsJoinIT extends GatewayHarness {

  private static String deadLetter(String id, String at) {
    return "{\"id\":\"" + id + "\",\"topic\":\"t.dlt\",\"at\":\"" + at + "\"}";
  }

  @Test
  void deadLettersOfEveryServiceAreJoinedNewestFirstAndAFailingServiceIsListed() {
    OAUTH.answer(
        "/operations/dead-letters",
        request -> "{\"deadLetters\":[" + deadLetter("o-1", "2026-11-30T08:00:01Z") + "]}");
    BILLING.answer(
        "/operations/dead-letters",
        request ->
            "{\"deadLetters\":["
                + deadLetter("b-2", "2026-11-30T08:00:03.5Z")
                + ","
                + deadLetter("b-1", "2026-11-30T08:00:00Z")
                + "]}");
    NOTIFICATION.answer(500);
    String token = teamToken("operators", "operations:read");

    var answer = Http.get(url("/operations/dead-letters?topic=t&limit=2"), token);

    assertThat(answer.status()).isEqualTo(200);
    JsonNode items = answer.json().get("deadLetters");
    assertThat(items.valueStream().map(i -> i.get("id").asString())).containsExactly("b-2", "o-1");
    assertThat(items.get(0).get("service").asString()).isEqualTo("billing-service");
    assertThat(items.get(1).get("service").asString()).isEqualTo("oauth-service");
    assertThat(answer.json().get("unavailable").valueStream().map(JsonNode::asString))
        .containsExactly("notification-service");
    var asked = BILLING.received().getLast();
    assertThat(asked.query()).isEqualTo("topic=t&limit=2");
    assertThat(asked.header("Authorization")).isEqualTo("Bearer " + token);
  }

  @Test
  void auditEntriesAreJoined() {
    OAUTH.answer(
        "/operations/audit",
        request ->
            "{\"entries\":[{\"id\":\"a\",\"action\":\"merchant.connected\",\"at\":\"2026-11-30T08:00:00Z\"}]}");
    BILLING.answer("/operations/audit", request -> "{\"entries\":[]}");
    WEBHOOK_INGEST.acceptOperatorToken(WEBHOOK_INGEST_OPERATOR_TOKEN);
    WEBHOOK_INGEST.answer(
        "/operations/audit",
        request ->
            "{\"entries\":[{\"id\":\"w\",\"action\":\"quarantine.replayed\",\"at\":\"2026-11-30T08:30:00Z\"}]}");
    NOTIFICATION.answer(
        "/operations/audit",
        request ->
            "{\"entries\":[{\"id\":\"n\",\"action\":\"notification-endpoint.created\",\"at\":\"2026-11-30T09:00:00Z\"}]}");

    var answer =
        Http.get(url("/operations/audit?action=x"), teamToken("operators", "operations:read"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("entries").valueStream().map(e -> e.get("service").asString()))
        .containsExactly("notification-service", "webhook-ingest-service", "oauth-service");
    assertThat(answer.json().get("unavailable")).isEmpty();
    // webhook-ingest-service takes its own operator tokens: the gateway presents the one it holds.
    assertThat(WEBHOOK_INGEST.received().getLast().header("Authorization"))
        .isEqualTo("Bearer " + WEBHOOK_INGEST_OPERATOR_TOKEN);
    assertThat(WEBHOOK_INGEST.received().getLast().query()).isEqualTo("action=x");
  }

  @Test
  void aReplayGoesToTheServiceItNamesWithoutTheServiceField() {
    BILLING.answer(
        "/operations/dead-letters/replays", request -> "{\"replayed\":1,\"auditId\":\"x\"}");
    String token = teamToken("operators", "operations:read", "operations:write");

    var answer =
        Http.postJson(
            url("/operations/dead-letters/replays"),
            token,
            "{\"service\":\"billing-service\",\"ids\":[\"t.dlt-0-4\"]}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("replayed").asInt()).isEqualTo(1);
    var sent = BILLING.received().getLast();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(new String(sent.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"ids\":[\"t.dlt-0-4\"]}");
    assertThat(OAUTH.received()).noneMatch(r -> r.path().startsWith("/operations"));
  }

  @Test
  void theQuarantineAndItsReplaysArePassedToWebhookIngestWithItsOperatorToken() {
    WEBHOOK_INGEST.acceptOperatorToken(WEBHOOK_INGEST_OPERATOR_TOKEN);
    WEBHOOK_INGEST.answer(
        "/operations/quarantine",
        request -> "[{\"id\":\"q1\",\"reason\":\"unknown-resource-type\"}]");
    WEBHOOK_INGEST.answer(
        "/operations/quarantine/replays",
        request -> "{\"replayed\":1,\"auditId\":\"a1\",\"alreadyReleased\":[]}");
    String reader = teamToken("operators", "operations:read");
    String writer = teamToken("operators", "operations:read", "operations:write");

    var listed = Http.get(url("/operations/quarantine?limit=5"), reader);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().get(0).get("id").asString()).isEqualTo("q1");
    assertThat(WEBHOOK_INGEST.received().getLast().query()).isEqualTo("limit=5");

    assertThat(
            Http.postJson(url("/operations/quarantine/replays"), reader, "{\"ids\":[\"q1\"]}")
                .status())
        .isEqualTo(403);
    var replayed =
        Http.postJson(url("/operations/quarantine/replays"), writer, "{\"ids\":[\"q1\"]}");

    assertThat(replayed.status()).isEqualTo(200);
    assertThat(replayed.json().get("replayed").asInt()).isEqualTo(1);
    var sent = WEBHOOK_INGEST.received().getLast();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer " + WEBHOOK_INGEST_OPERATOR_TOKEN);
    assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ids\":[\"q1\"]}");
  }

  @Test
  void aServicesRefusalOfAReplayIsPassedThrough() {
    BILLING.answer(503);

    var answer =
        Http.postJson(
            url("/operations/dead-letters/replays"),
            teamToken("operators", "operations:write"),
            "{\"service\":\"billing-service\",\"ids\":[\"t.dlt-0-4\"]}");

    // The service's own answer, passed through as it is (not a 200 of the gateway).
    assertThat(answer.status()).isEqualTo(503);
  }

  @Test
  void oneDeadLetterIsAskedOfTheServiceItsTopicNames() {
    String id = "gocardless.payments.billing-service.dlt-0-17";
    BILLING.answer(
        "/operations/dead-letters/" + id,
        request -> "{\"id\":\"" + id + "\",\"payload\":{\"a\":1}}");
    String token = teamToken("operators", "operations:read");

    var one = Http.get(url("/operations/dead-letters/" + id), token);

    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("payload").get("a").asInt()).isEqualTo(1);
    assertThat(BILLING.received().getLast().header("Authorization")).isEqualTo("Bearer " + token);
    assertThat(OAUTH.received()).noneMatch(r -> r.path().startsWith("/operations"));
    var unknown = Http.get(url("/operations/dead-letters/some.topic.other.dlt-0-1"), token);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/invalid-request");
  }

  @Test
  void scopesAndBodiesAreChecked() {
    assertThat(
            Http.get(url("/operations/dead-letters"), teamToken("operators", "payments:read"))
                .status())
        .isEqualTo(403);
    assertThat(
            Http.postJson(
                    url("/operations/dead-letters/replays"),
                    teamToken("operators", "operations:read"),
                    "{\"service\":\"billing-service\",\"ids\":[\"x-0-1\"]}")
                .status())
        .isEqualTo(403);
    var unknownService =
        Http.postJson(
            url("/operations/dead-letters/replays"),
            teamToken("operators", "operations:write"),
            "{\"service\":\"webhook-ingest-service\",\"ids\":[\"x-0-1\"]}");
    assertThat(unknownService.status()).isEqualTo(400);
    assertThat(unknownService.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/invalid-request");
    assertThat(
            Http.get(url("/operations/audit?limit=0"), teamToken("operators", "operations:read"))
                .status())
        .isEqualTo(400);
    assertThat(BILLING.received()).noneMatch(r -> r.path().startsWith("/operations"));
  }
}
