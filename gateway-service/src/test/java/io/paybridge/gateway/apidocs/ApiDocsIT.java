package io.paybridge.gateway.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.http.Http;
import org.junit.jupiter.api.Test;

/** One Swagger UI at the gateway, showing each service's document with the platform's security. */
class ApiDocsIT extends GatewayHarness {

  @Test
  void eachServicesDocumentIsServedWithTheGatewayAsServerAndTheScopes() {
    var document = Http.get(url("/api-docs/billing-service"), null);

    assertThat(document.status()).isEqualTo(200);
    var api = document.json();
    assertThat(api.path("info").path("title").asString()).isEqualTo("PayBridge billing-service");
    assertThat(api.path("paths").has("/merchants")).isTrue();
    assertThat(api.path("servers").get(0).path("url").asString()).isEqualTo("/");
    var scheme = api.path("components").path("securitySchemes").path("paybridge");
    assertThat(scheme.path("type").asString()).isEqualTo("oauth2");
    var flow = scheme.path("flows").path("clientCredentials");
    assertThat(flow.path("tokenUrl").asString()).isEqualTo(ISSUER.issuerUri() + "/token");
    assertThat(flow.path("scopes").has("payments:write")).isTrue();
    assertThat(flow.path("scopes").has("merchants:read")).isTrue();
    assertThat(api.path("security").get(0).has("paybridge")).isTrue();
    assertThat(BILLING.received().getLast().path()).isEqualTo("/v3/api-docs");
  }

  @Test
  void swaggerUiListsEveryServiceWithoutAToken() {
    var config = Http.get(url("/v3/api-docs/swagger-config"), null);
    var page = Http.get(url("/swagger-ui.html"), null);

    assertThat(config.status()).isEqualTo(200);
    assertThat(config.body())
        .contains(
            "/api-docs/oauth-service",
            "/api-docs/billing-service",
            "/api-docs/notification-service");
    assertThat(page.status()).isIn(200, 302);
  }
}
