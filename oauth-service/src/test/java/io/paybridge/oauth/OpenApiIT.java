package io.paybridge.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.Http;
import io.paybridge.oauth.support.IntegrationHarness;
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

    var health = Http.get(url("/actuator/health"), null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asString()).isEqualTo("UP");
    assertThat(Http.get(url("/actuator/prometheus"), null).body())
        .contains("paybridge_oauth_tokens_stale_key");
  }
}
