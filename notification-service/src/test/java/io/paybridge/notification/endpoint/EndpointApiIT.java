package io.paybridge.notification.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.notification.support.NotificationHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The subscriptions API: secrets shown once, validation, scopes, one team per endpoint. */
class EndpointApiIT extends NotificationHarness {

  @Test
  void theSecretIsShownOnceAndStoredEncrypted() {
    String team = newTeam();
    JsonNode created =
        createWebhook(
            team, "https://hooks.example.test/paybridge", "billing.*", "MerchantDisconnected");
    String id = created.get("endpoint").get("id").asString();
    String secret = created.get("secret").asString();
    assertThat(secret).matches("whsec_[A-Za-z0-9+/=]{32}");
    assertThat(created.get("endpoint").get("eventTypes"))
        .extracting(JsonNode::asString)
        .containsExactly("billing.*", "MerchantDisconnected");

    var read = Http.get(url("/notifications/endpoints/" + id), token(team));
    assertThat(read.status()).isEqualTo(200);
    var list = Http.get(url("/notifications/endpoints"), token(team));
    assertThat(read.body()).doesNotContain(secret.substring(6)).doesNotContain("whsec_");
    assertThat(list.body()).doesNotContain(secret.substring(6)).contains(id);

    byte[] key = Base64.getDecoder().decode(secret.substring(6));
    byte[] stored =
        jdbc.queryForObject(
            "select ciphertext from endpoint_secret where endpoint_id = ?::uuid", byte[].class, id);
    assertThat(indexOf(stored, key)).as("the key in clear in the database").isEqualTo(-1);
    assertThat(stored.length).isGreaterThan(key.length);
  }

  @Test
  void anotherTeamsEndpointIsNotFoundAndScopesAreChecked() {
    String owner = newTeam();
    String id =
        createWebhook(owner, "https://hooks.example.test/a", "*")
            .get("endpoint")
            .get("id")
            .asString();
    String other = newTeam();

    for (var response :
        new Http.Response[] {
          Http.get(url("/notifications/endpoints/" + id), token(other)),
          Http.postJson(url("/notifications/endpoints/" + id + "/test"), token(other), ""),
          Http.postJson(
              url("/notifications/endpoints/" + id + "/secret/rotate"), token(other), "{}"),
          Http.postJson(url("/notifications/endpoints/" + id + "/disable"), token(other), ""),
          Http.delete(url("/notifications/endpoints/" + id), token(other))
        }) {
      assertThat(response.status()).as(response.body()).isEqualTo(404);
      assertThat(response.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/endpoint-not-found");
    }
    assertThat(Http.get(url("/notifications/endpoints"), token(other)).body()).doesNotContain(id);

    String readOnly = issuer.teamToken(owner, AUDIENCE, "notifications:read");
    assertThat(Http.get(url("/notifications/endpoints/" + id), readOnly).status()).isEqualTo(200);
    var write = Http.postJson(url("/notifications/endpoints/" + id + "/disable"), readOnly, "");
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/forbidden");
    String otherService = issuer.teamToken(owner, "billing-service", "notifications:read");
    assertThat(Http.get(url("/notifications/endpoints"), otherService).status()).isEqualTo(401);
    assertThat(Http.get(url("/notifications/endpoints"), null).status()).isEqualTo(401);
  }

  @Test
  void badEndpointsAreRefusedWithTheirProblemType() {
    String team = newTeam();
    assertProblem(
        team,
        "{\"url\":\"ftp://hooks.example.test/x\",\"eventTypes\":[\"*\"]}",
        "invalid-endpoint");
    assertProblem(
        team,
        "{\"url\":\"https://user:pw@hooks.example.test/x\",\"eventTypes\":[\"*\"]}",
        "invalid-endpoint");
    assertProblem(
        team,
        "{\"url\":\"https://a.test/x\",\"email\":\"a@b.test\",\"eventTypes\":[\"*\"]}",
        "invalid-endpoint");
    assertProblem(
        team, "{\"email\":\"not-an-address\",\"eventTypes\":[\"*\"]}", "invalid-endpoint");
    assertProblem(
        team, "{\"url\":\"https://a.test/x\",\"eventTypes\":[]}", "invalid-event-type-filter");
    assertProblem(
        team,
        "{\"url\":\"https://a.test/x\",\"eventTypes\":[\"billing.**\"]}",
        "invalid-event-type-filter");
    assertProblem(team, "{\"url\":", "invalid-request");
    assertThat(Http.get(url("/notifications/endpoints"), token(team)).json()).isEmpty();
  }

  @Test
  void disableEnableAndDelete() {
    String team = newTeam();
    String id =
        createWebhook(team, "https://hooks.example.test/b", "*")
            .get("endpoint")
            .get("id")
            .asString();
    var disabled =
        Http.postJson(url("/notifications/endpoints/" + id + "/disable"), token(team), "");
    assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
    assertThat(disabled.json().get("disabledReason").asString()).isEqualTo("by_team");
    var enabled = Http.postJson(url("/notifications/endpoints/" + id + "/enable"), token(team), "");
    assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
    assertThat(Http.delete(url("/notifications/endpoints/" + id), token(team)).status())
        .isEqualTo(204);
    assertThat(Http.get(url("/notifications/endpoints/" + id), token(team)).status())
        .isEqualTo(404);
  }

  @Test
  void theOpenApiDocumentDescribesTheApi() {
    var docs = Http.get(url("/v3/api-docs"), null);
    assertThat(docs.status()).isEqualTo(200);
    JsonNode paths = docs.json().get("paths");
    for (String path :
        new String[] {
          "/notifications/endpoints",
          "/notifications/endpoints/{id}/secret/rotate",
          "/notifications/endpoints/{id}/test",
          "/notifications/deliveries/{id}/replay",
          "/operations/deliveries/replay"
        }) {
      assertThat(paths.has(path)).as(path).isTrue();
    }
  }

  private void assertProblem(String team, String body, String type) {
    var response = Http.postJson(url("/notifications/endpoints"), token(team), body);
    assertThat(response.status()).as(body).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/" + type);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
