package io.paybridge.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.testsupport.http.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

class OpenApiIT extends BillingIntegrationTest {

  @LocalManagementPort int managementPort;

  @Test
  void theApiIsDescribedAndGoCardlessResilienceIsVisible() {
    var docs = Http.get(url("/v3/api-docs"), null);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.json().get("paths").propertyNames())
        .contains(
            "/billing-requests",
            "/billing-requests/{id}",
            "/billing-requests/{id}/actions/{action}",
            "/billing-request-flows",
            "/mandates",
            "/mandates/{id}/actions/cancel",
            "/mandates/{id}/actions/reinstate",
            "/payments",
            "/payments/{id}/actions/cancel",
            "/payments/{id}/actions/retry",
            "/refunds",
            "/refunds/{id}",
            "/subscriptions",
            "/subscriptions/{id}",
            "/subscriptions/{id}/actions/pause",
            "/subscriptions/{id}/actions/resume",
            "/subscriptions/{id}/actions/cancel",
            "/instalment-schedules",
            "/instalment-schedules/{id}",
            "/instalment-schedules/{id}/actions/cancel",
            "/analytics/outcomes");

    String management = "http://127.0.0.1:" + managementPort;
    var health =
        Http.get(
            management + "/actuator/health",
            world.issuer.token(
                "operator", "billing-service", java.util.Map.of("scope", "operations:read")));
    assertThat(health.status()).isEqualTo(200);
    assertThat(
            health
                .json()
                .path("components")
                .path("gocardless")
                .path("details")
                .path("circuitBreaker")
                .asString())
        .isIn("CLOSED", "OPEN", "HALF_OPEN");
    assertThat(Http.get(management + "/actuator/prometheus", null).body())
        .contains("resilience4j_circuitbreaker_state")
        .contains("name=\"gocardless\"");
  }

  @Test
  void everyRouteNeedsAToken() {
    assertThat(Http.get(url("/payments"), null).status()).isEqualTo(401);
    // A token for another service is refused (audience).
    assertThat(
            Http.get(
                    url("/payments"),
                    world.issuer.teamToken("team-a", "notification-service", "payments:read"))
                .status())
        .isEqualTo(401);
    // Through the gateway's audience.
    assertThat(
            Http.get(
                    url("/payments"),
                    world.issuer.teamToken("team-a", "paybridge-api", "payments:read"))
                .status())
        .isEqualTo(200);
    // Without the read scope.
    assertThat(
            Http.get(
                    url("/payments"),
                    world.issuer.teamToken("team-a", "billing-service", "merchants:read"))
                .status())
        .isEqualTo(403);
  }
}
