package io.paybridge.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void routesEachGoCardlessResourceTypeToItsTopicAndEverythingElseToOther() {
    assertThat(Topics.forGoCardlessResourceType("payments")).isEqualTo("gocardless.payments");
    assertThat(Topics.forGoCardlessResourceType("billing_requests"))
        .isEqualTo("gocardless.billing-requests");
    assertThat(Topics.forGoCardlessResourceType("instalment_schedules"))
        .isEqualTo("gocardless.instalment-schedules");
    assertThat(Topics.forGoCardlessResourceType("organisations"))
        .isEqualTo("gocardless.organisations");
    assertThat(Topics.forGoCardlessResourceType("exports")).isEqualTo("gocardless.other");
    assertThat(Topics.forGoCardlessResourceType("a_type_added_next_year"))
        .isEqualTo("gocardless.other");
    assertThat(Topics.forGoCardlessResourceType(null)).isEqualTo("gocardless.other");
  }

  @Test
  void everyPlatformTopicFollowsTheNamingRules() {
    assertThat(Topics.gocardlessTopics()).hasSize(10).allMatch(Topics::isValid);
    assertThat(
            new String[] {
              Topics.MERCHANTS_CONNECTION,
              Topics.BILLING_BILLING_REQUEST,
              Topics.BILLING_PAYMENT,
              Topics.BILLING_MANDATE,
              Topics.NOTIFICATIONS_DELIVERY
            })
        .allMatch(Topics::isValid);
  }

  @Test
  void namesARelaysPositionTopicAfterItsService() {
    assertThat(Topics.outboxOffsets("webhook-ingest-service"))
        .isEqualTo("paybridge.outbox-offsets.webhook-ingest-service");
    assertThatThrownBy(() -> Topics.outboxOffsets("Webhook_Ingest"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNamesThatBreakTheRules() {
    assertThat(Topics.isValid("gocardless_payments")).isFalse();
    assertThat(Topics.isValid("GoCardless.payments")).isFalse();
    assertThat(Topics.isValid("payments")).isFalse();
    assertThat(Topics.isValid("gocardless..payments")).isFalse();
    assertThat(Topics.isValid("gocardless.-payments")).isFalse();
    assertThat(Topics.isValid(null)).isFalse();
    assertThatThrownBy(() -> Topics.requireValid("billing_payment"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("billing_payment");
  }

  @Test
  void namesDeadLetterTopicsAfterTopicAndConsumerGroup() {
    assertThat(Topics.deadLetter("gocardless.organisations", "oauth-service"))
        .isEqualTo("gocardless.organisations.oauth-service.dlt");
    assertThat(Topics.isValid(Topics.deadLetter("gocardless.payments", "billing-service")))
        .isTrue();
    assertThatThrownBy(() -> Topics.deadLetter("gocardless.payments", "Billing_Service"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
