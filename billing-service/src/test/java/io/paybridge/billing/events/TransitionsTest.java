package io.paybridge.billing.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The transitions docs/gocardless/API.md §4.4 and ARCHITECTURE.md's list of what others got wrong
 * name.
 */
class TransitionsTest {

  @Test
  void aPaymentMayFailAfterItWasPaidOut() {
    assertThat(Transitions.of("payments", "failed").from()).contains("paid_out", "confirmed");
  }

  @Test
  void aCancelledChargebackReturnsThePaymentToConfirmed() {
    var t = Transitions.of("payments", "chargeback_cancelled");
    assertThat(t.from()).containsExactly("charged_back");
    assertThat(t.to()).isEqualTo("confirmed");
  }

  @Test
  void aRetriedPaymentGoesBackToPendingSubmission() {
    var t = Transitions.of("payments", "resubmission_requested");
    assertThat(t.from()).containsExactly("failed");
    assertThat(t.to()).isEqualTo("pending_submission");
  }

  @Test
  void dispatchIsOnResourceTypeAndActionTogether() {
    // Mandates and payments both have "cancelled" and "failed", from different statuses.
    assertThat(Transitions.of("mandates", "failed").from())
        .contains("active")
        .doesNotContain("paid_out");
    assertThat(Transitions.of("payments", "failed").from())
        .contains("paid_out")
        .doesNotContain("active");
    assertThat(Transitions.of("refunds", "failed").from()).doesNotContain("paid_out", "active");
  }

  @Test
  void anActionWithoutAStatusChangeHasNoTransition() {
    assertThat(Transitions.of("payments", "late_failure_settled")).isNull();
    assertThat(Transitions.of("billing_requests", "flow_visited")).isNull();
    assertThat(Transitions.of("payments", "an_action_gocardless_adds_later")).isNull();
  }
}
