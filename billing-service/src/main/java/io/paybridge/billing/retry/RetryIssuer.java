package io.paybridge.billing.retry;

import io.paybridge.platform.gocardless.GoCardless;
import io.paybridge.platform.gocardless.GoCardlessFailure;
import io.paybridge.platform.outbox.TransientFailureException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Asks GoCardless for a scheduled retry ({@code POST /payments/{id}/actions/retry} with the chosen
 * {@code charge_date}), driven by the decision's {@code PaymentRetryScheduled} fact from the
 * outbox; runs in the idempotent consumer's transaction.
 *
 * <p>The decision's row is locked while GoCardless is asked, and marked issued in the same
 * transaction: a second delivery of the fact, or a second replica, finds it issued and asks
 * nothing. A crash between GoCardless's answer and the commit asks again with the same {@code
 * Idempotency-Key} (derived from the failure) and the same metadata; GoCardless only retries a
 * {@code failed} payment, so the repeated call is refused ({@code retry_failed}) while the retry is
 * pending. Only if the retry had already failed again by then would a repeated call be a second
 * retry — unless GoCardless honours the key on actions, which its documents do not promise (the
 * simulator does).
 */
@Component
class RetryIssuer {

  private static final Logger log = LoggerFactory.getLogger(RetryIssuer.class);

  /** Metadata on the retry naming the failure it answers (GoCardless keeps it on the event). */
  static final String FAILURE_METADATA = "paybridge_failure_event";

  private final RetryDecisionRepository decisions;
  private final GoCardless gocardless;
  private final Clock clock;

  RetryIssuer(RetryDecisionRepository decisions, GoCardless gocardless, Clock clock) {
    this.decisions = decisions;
    this.gocardless = gocardless;
    this.clock = clock;
  }

  void issue(String failureEventId, String organisationId) {
    var decision = decisions.lockToIssue(failureEventId).orElse(null);
    if (decision == null) {
      return;
    }
    String key = gocardless.idempotencyKey(organisationId, "payment-retry:" + failureEventId);
    String state;
    String detail;
    try {
      gocardless.once(
          decision.merchantId(),
          c ->
              c.payments()
                  .retry(decision.paymentId())
                  .withChargeDate(decision.chargeDate().toString())
                  .withMetadata(FAILURE_METADATA, failureEventId)
                  .withHeader("Idempotency-Key", key)
                  .execute());
      state = "issued";
      detail = null;
    } catch (GoCardlessFailure.IdempotencyConflict e) {
      state = "issued";
      detail = "GoCardless had this retry already (same idempotency key)";
    } catch (GoCardlessFailure.Temporary e) {
      throw new TransientFailureException(
          "GoCardless unavailable while retrying payment " + decision.paymentId(),
          e.retryAfter(),
          e);
    } catch (GoCardlessFailure.InvalidState e) {
      if (alreadyRetried(decision)) {
        // A repeated call after a crash: the payment is already on its way on our date.
        state = "issued";
        detail = "GoCardless had this retry already (the payment is pending on the chosen date)";
      } else {
        state = "refused";
        detail = (e.reason() == null ? "invalid_state" : e.reason()) + ": " + e.getMessage();
      }
    } catch (GoCardlessFailure e) {
      state = "refused";
      detail = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    if ("refused".equals(state)) {
      log.warn(
          "GoCardless refused the retry of payment {} for failure {}: {}",
          decision.paymentId(),
          failureEventId,
          detail);
    }
    decisions.issued(failureEventId, state, detail, clock.instant());
  }

  private boolean alreadyRetried(RecordedDecision decision) {
    try {
      var payment =
          gocardless.read(
              decision.merchantId(), c -> c.payments().get(decision.paymentId()).execute());
      return payment.getStatus() != null
          && payment.getStatus() != com.gocardless.resources.Payment.Status.FAILED
          && decision.chargeDate().toString().equals(payment.getChargeDate());
    } catch (GoCardlessFailure.Temporary e) {
      throw new TransientFailureException(
          "GoCardless unavailable while reading payment " + decision.paymentId(),
          e.retryAfter(),
          e);
    }
  }
}
