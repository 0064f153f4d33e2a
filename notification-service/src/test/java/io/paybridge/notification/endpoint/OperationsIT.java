package io.paybridge.notification.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.notification.support.NotificationHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The shared operator endpoints as wired in this service: a team's endpoint changes are in the
 * audit log (never the signing secret), and a fact the listener cannot read is listed among the
 * dead letters with its error.
 */
class OperationsIT extends NotificationHarness {

  private static String operator(String... scopes) {
    return issuer.teamToken("operators", AUDIENCE, scopes);
  }

  @Test
  void endpointChangesAreAuditedWithTheTeamAndWithoutTheSecret() {
    String team = newTeam();
    var created = createWebhook(team, "https://hooks.example.test/" + team, "billing.*");
    String id = created.get("endpoint").get("id").asString();
    String secret = created.get("secret").asString();
    var rotated =
        Http.postJson(url("/notifications/endpoints/" + id + "/secret/rotate"), token(team), "{}");
    assertThat(rotated.status()).isEqualTo(200);
    String newSecret = rotated.json().get("secret").asString();

    var entries =
        Http.get(url("/operations/audit?limit=1000"), operator("operations:read"))
            .json()
            .get("entries");
    var ours = entries.valueStream().filter(e -> id.equals(e.get("target").asString())).toList();
    assertThat(ours)
        .extracting(e -> e.get("action").asString())
        .containsExactlyInAnyOrder(
            "notification-endpoint.created", "notification-endpoint.signing-key-rotated");
    assertThat(ours)
        .allSatisfy(
            e -> {
              assertThat(e.get("actor").asString()).isEqualTo("team:" + team);
              assertThat(e.get("detail").get("team").asString()).isEqualTo(team);
            });
    assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_entry where audit_entry::text like ? or audit_entry::text like ?",
                Integer.class,
                "%" + secret.substring(6) + "%",
                "%" + newSecret.substring(6) + "%"))
        .isZero();
    // A team's replay of its deliveries is audited too.
    var replay =
        Http.postJson(
            url("/notifications/deliveries/replay"),
            token(team),
            "{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-01-02T00:00:00Z\"}");
    assertThat(replay.status()).as(replay.body()).isIn(200, 202);
    assertThat(
            Http.get(
                    url("/operations/audit?action=notification-deliveries.replayed&limit=1000"),
                    operator("operations:read"))
                .json()
                .get("entries")
                .valueStream()
                .filter(e -> team.equals(e.get("detail").get("team").asString())))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("actor").asString()).isEqualTo("team:" + team);
              assertThat(e.get("detail").get("count").asInt()).isZero();
            });
    // A team's token is not an operator's.
    assertThat(Http.get(url("/operations/audit"), token(team)).status()).isEqualTo(403);
  }

  @Test
  void anOperatorsDeliveryReplayTakesOperationsWriteOrTheOlderReplayScope() {
    String range = "{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-01-01T00:00:01Z\"}";
    String path = url("/operations/deliveries/replay");

    assertThat(Http.postJson(path, operator("operations:write"), range).status()).isIn(200, 202);
    assertThat(Http.postJson(path, operator("notifications:replay"), range).status())
        .isIn(200, 202);
    assertThat(Http.postJson(path, operator("operations:read"), range).status()).isEqualTo(403);
  }

  @Test
  void aFactThatIsNotJsonIsListedAmongTheDeadLetters() {
    String key = "PM" + UUID.randomUUID().toString().substring(0, 8);
    String eventId = publish("billing.payment", key, "PaymentConfirmed", newTeam(), "not json");

    JsonNode letter =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Http.get(
                            url("/operations/dead-letters?topic=billing.payment&limit=1000"),
                            operator("operations:read"))
                        .json()
                        .get("deadLetters")
                        .valueStream()
                        .filter(d -> eventId.equals(d.get("eventId").asString()))
                        .findFirst()
                        .orElse(null),
                d -> d != null);

    assertThat(letter.get("topic").asString())
        .isEqualTo("billing.payment.notification-service.dlt");
    assertThat(letter.get("key").asString()).isEqualTo(key);
    assertThat(letter.get("error").asString()).contains("is not JSON");
    var one =
        Http.get(
            url("/operations/dead-letters/" + letter.get("id").asString()),
            operator("operations:read"));
    assertThat(one.json().get("payload").asString()).isEqualTo("not json");
    // Replaying needs operations:write.
    assertThat(
            Http.postJson(
                    url("/operations/dead-letters/replays"),
                    operator("operations:read"),
                    "{\"ids\": [\"" + letter.get("id").asString() + "\"]}")
                .status())
        .isEqualTo(403);
  }
}
