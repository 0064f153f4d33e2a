package io.paybridge.billing.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A payment's contribution from GoCardless's documented payment lifecycle (docs/gocardless/API.md
 * "Transitions": late failure after confirmed/paid out, chargeback and its cancellation back to
 * confirmed, retry after failure).
 */
class PaymentOutcomeTest {

  private static final Instant CREATED = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void aCancelledChargebackEndsCollectedButWasChargedBack() {
    // confirmed -> charged_back -> chargeback_cancelled (a PaymentConfirmed fact) -> confirmed
    var c =
        PaymentOutcome.of(
            payment(
                seen("e1", PaymentOutcome.CONFIRMED, 72),
                seen("e2", PaymentOutcome.CHARGEBACK, 200),
                seen("e3", PaymentOutcome.CONFIRMED, 300)));
    assertThat(c.counters()[PaymentOutcome.COLLECTED]).isEqualTo(1);
    assertThat(c.counters()[PaymentOutcome.CHARGED_BACK]).isZero();
    assertThat(c.counters()[PaymentOutcome.EVER_CHARGED_BACK]).isEqualTo(1);
    // Time to confirmed is to the first confirmation.
    assertThat(PaymentOutcome.BUCKET_BOUNDS[c.confirmedBucket()]).isEqualTo(Duration.ofHours(72));
  }

  @Test
  void aFailureAfterPaidOutIsLateAndNotARecovery() {
    var c =
        PaymentOutcome.of(
            payment(
                seen("e1", PaymentOutcome.CONFIRMED, 72),
                seen("e2", PaymentOutcome.PAID_OUT, 120),
                seen("e3", PaymentOutcome.FAILURE, 150)));
    assertThat(c.counters()[PaymentOutcome.FAILED]).isEqualTo(1);
    assertThat(c.counters()[PaymentOutcome.LATE_FAILED]).isEqualTo(1);
    assertThat(c.counters()[PaymentOutcome.FAILED_EARLY]).isZero();
    assertThat(c.counters()[PaymentOutcome.RECOVERED_PAYBRIDGE]).isZero();
  }

  @Test
  void aRetriedFailureWithoutWillAttemptRetryIsRecoveredByPayBridge() {
    // failed -> resubmission_requested (no fact) -> submitted -> confirmed
    var c =
        PaymentOutcome.of(
            payment(
                seen("e1", PaymentOutcome.FAILURE, 72), seen("e2", PaymentOutcome.CONFIRMED, 200)));
    assertThat(c.counters()[PaymentOutcome.COLLECTED]).isEqualTo(1);
    assertThat(c.counters()[PaymentOutcome.FAILED_EARLY]).isEqualTo(1);
    assertThat(c.counters()[PaymentOutcome.RECOVERED_PAYBRIDGE]).isEqualTo(1);
    assertThat(c.counters()[PaymentOutcome.RECOVERED_PAYBRIDGE + 1]).isEqualTo(2500);
    assertThat(c.counters()[PaymentOutcome.RECOVERED_GOCARDLESS]).isZero();
  }

  @Test
  void bucketBoundsAreInclusive() {
    assertThat(PaymentOutcome.bucket(CREATED, CREATED.plus(Duration.ofHours(72))))
        .isEqualTo(9); // 1, 2, 4, 8, 12, 24, 36, 48, 60, [72]
    assertThat(PaymentOutcome.bucket(CREATED, CREATED.plus(Duration.ofHours(72)).plusSeconds(1)))
        .isEqualTo(10);
    assertThat(PaymentOutcome.bucket(CREATED, CREATED.plus(Duration.ofDays(61))))
        .isEqualTo(PaymentOutcome.BUCKET_BOUNDS.length);
    assertThat(
            AnalyticsService.percentile(
                new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
                1,
                50))
        .as("beyond the last bound")
        .isNull();
  }

  @Test
  void aPaymentWithoutItsCreationContributesNothingYet() {
    var unknown =
        PaymentState.unknown("PM1", "m", "t").with(seen("e1", PaymentOutcome.CONFIRMED, 72));
    assertThat(PaymentOutcome.of(unknown)).isNull();
    // The same event twice is held once.
    assertThat(unknown.with(seen("e1", PaymentOutcome.CONFIRMED, 72)).facts()).hasSize(1);
  }

  private static PaymentState payment(PaymentState.Seen... seen) {
    var state = PaymentState.unknown("PM1", "m", "t").created("bacs", "GBP", 2500, CREATED);
    for (var s : seen) {
      state = state.with(s);
    }
    assertThat(state.facts()).hasSize(seen.length);
    return state;
  }

  private static PaymentState.Seen seen(String id, String type, int hoursAfterCreation) {
    return new PaymentState.Seen(
        id, type, CREATED.plus(Duration.ofHours(hoursAfterCreation)).toString(), null, null, null);
  }
}
