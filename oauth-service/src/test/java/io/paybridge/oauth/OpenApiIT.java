package io.paybridge.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.platform.testsupport.http.Http;
import org.junit.jupiter.api.Test;

class OpenApiIT extends IntegrationHarness {

  @Test
  void theApiIsDescribedAndTheServiceReportsHealthAndMetrics() {
    var docs = Http.get(url("/v3/api-docs"), null);
    assertThat(docs.status()).isEqualTo(200);
    var paths = docs.json().get("paths");
    assertThat(paths.propertyNames())
        .contains(
            "/merchant-connections",
            "/merchants",
            "/merchants/{merchantId}",
            "/oauth/callback",
            "/internal/merchants/{merchantId}/access-token");
    assertThat(docs.json().get("components").get("securitySchemes").has("bearer")).isTrue();
    assertThat(
            paths
                .get("/oauth/callback")
                .get("get")
                .get("parameters")
                .valueStream()
                .map(p -> p.get("in").asString() + ":" + p.get("name").asString()))
        .contains("query:state", "query:code", "query:error");

    var health = Http.get(managementUrl("/actuator/health"), world.operationsToken());
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asString()).isEqualTo("UP");
    assertThat(health.json().get("components").propertyNames())
        .contains("db", "kafka", "outboxRelay", "jwtKeys", "tokenEncryption");
    assertThat(Http.get(managementUrl("/actuator/prometheus"), null).body())
        .contains("paybridge_oauth_tokens_stale_key");
  }

  @Test
  void actuatorIsOnTheManagementPortOnlyWithDetailsForOperators() {
    // The probes: anyone, a status and nothing else.
    for (String probe :
        java.util.List.of("/actuator/health/readiness", "/actuator/health/liveness")) {
      var answer = Http.get(managementUrl(probe), null);
      assertThat(answer.status()).as(probe).isEqualTo(200);
      assertThat(answer.json().propertyNames()).containsExactly("status");
    }
    // Details and metrics: an operator's token with the operations scope.
    for (String path :
        java.util.List.of("/actuator/health", "/actuator/health/db", "/actuator/metrics")) {
      assertThat(Http.get(managementUrl(path), null).status()).as(path).isEqualTo(401);
      assertThat(Http.get(managementUrl(path), world.teamToken("team-a")).status())
          .as(path)
          .isEqualTo(403);
      assertThat(Http.get(managementUrl(path), world.operatorToken("ops", true)).status())
          .as(path)
          .isEqualTo(403);
      assertThat(Http.get(managementUrl(path), world.operationsToken()).status())
          .as(path)
          .isEqualTo(200);
    }
    // The public port: no actuator at all, with or without a token.
    for (String path :
        java.util.List.of(
            "/actuator/health", "/actuator/health/readiness", "/actuator/prometheus")) {
      assertThat(Http.get(url(path), null).status()).as(path).isEqualTo(404);
      assertThat(Http.get(url(path), world.operationsToken()).status()).as(path).isEqualTo(404);
    }
  }
}
