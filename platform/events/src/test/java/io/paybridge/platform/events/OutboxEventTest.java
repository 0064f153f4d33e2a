package io.paybridge.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutboxEventTest {

  @Test
  void refusesAnEventThatCouldNotBeRoutedOrDeduplicated() {
    assertThatThrownBy(
            () -> OutboxEvent.of("", "gocardless.payments", "PM1", "payments.paid", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> OutboxEvent.of("x".repeat(65), "gocardless.payments", "PM1", "t", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OutboxEvent.of("EV1", "Not_A_Topic", "PM1", "t", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OutboxEvent.of("EV1", "gocardless.payments", " ", "t", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OutboxEvent.of("EV1", "gocardless.payments", "PM1", "", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OutboxEvent.of("EV1", "gocardless.payments", "PM1", "t", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void carriesTenantOrganisationAndTraceWhenGiven() {
    var event =
        OutboxEvent.newEvent("merchants.connection", "M1", "MerchantConnected", "{}")
            .withTenant("team-a")
            .withOrganisationId("OR1")
            .withTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assertThat(event.id()).hasSize(36);
    assertThat(event.tenant()).isEqualTo("team-a");
    assertThat(event.organisationId()).isEqualTo("OR1");
    assertThat(event.traceparent()).startsWith("00-0af7");
  }

  @Test
  void writesTheCloudEventsBinaryModeHeaders() {
    var headers =
        CloudEventHeaders.of(
            "EV1", "payments.paid", "/paybridge/x", Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(headers)
        .containsEntry("ce_id", "EV1")
        .containsEntry("ce_type", "payments.paid")
        .containsEntry("ce_source", "/paybridge/x")
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_time", "2026-01-02T03:04:05Z")
        .containsEntry("content-type", "application/json");
  }
}
