package io.paybridge.billing.retry;

import io.paybridge.platform.events.gocardless.BankCalendar;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Whether PayBridge retries a failed payment, and when (pure: everything it needs is given).
 *
 * <p>Never when GoCardless retries it itself ({@code will_attempt_retry}: Success+), never for a
 * cause a retry cannot fix, never past GoCardless's limit of 3 retries of a payment or the team's
 * own, never on a mandate that is not active (GoCardless refuses those, docs/gocardless/API.md
 * §4.4). Causes are GoCardless's {@code details.cause} (API.md §5.3: decide on the cause, not on
 * the scheme's reason code): only a shortage of money or a daily limit is worth another attempt
 * later; {@code refer_to_payer} only on Bacs, where it is the bank's usual answer for a lack of
 * funds (on other schemes it is the payer's refusal, and collecting again would override it).
 */
final class RetryRules {

  /** Causes another attempt on a later date can cure. */
  static final Set<String> RETRYABLE_CAUSES =
      Set.of("insufficient_funds", "daily_payment_limit_reached");

  private static final String REFER_TO_PAYER = "refer_to_payer";

  private final int leadWorkingDays;

  RetryRules(int leadWorkingDays) {
    this.leadWorkingDays = leadWorkingDays;
  }

  /**
   * @param earlierFailures failures of this payment before this one (each was followed by a retry,
   *     PayBridge's, GoCardless's or the team's)
   * @param ourRetries retries of this payment PayBridge scheduled before
   * @param mandateStatus the mandate's last known status ({@code null}: unknown)
   * @param nextPossibleChargeDate the mandate's, as last known ({@code null}: unknown)
   */
  Decision decide(
      Failure failure,
      RetryPolicy policy,
      int earlierFailures,
      int ourRetries,
      String mandateStatus,
      LocalDate nextPossibleChargeDate,
      ChargeDates.History history) {
    int attempt = earlierFailures + 1;
    if (!policy.enabled()) {
      return Decision.declined(
          "smart_retries_off", attempt, "Smart retries are off for this merchant.");
    }
    if (Boolean.TRUE.equals(failure.willAttemptRetry())) {
      return Decision.declined(
          "gocardless_will_retry",
          attempt,
          "GoCardless will retry this payment itself (Success+); PayBridge never retries as well.");
    }
    if (!retryable(failure.cause(), failure.scheme())) {
      return Decision.declined(
          "cause_not_retryable",
          attempt,
          "A retry cannot fix a failure caused by "
              + failure.cause()
              + (REFER_TO_PAYER.equals(failure.cause()) ? " on " + failure.scheme() : "")
              + ".");
    }
    if (attempt > RetryPolicy.GOCARDLESS_RETRY_LIMIT) {
      return Decision.declined(
          "gocardless_retry_limit",
          attempt,
          "The payment was retried "
              + earlierFailures
              + " times already; GoCardless allows "
              + RetryPolicy.GOCARDLESS_RETRY_LIMIT
              + ".");
    }
    if (ourRetries >= policy.maxRetries()) {
      return Decision.declined(
          "team_retry_limit",
          attempt,
          "PayBridge retried this payment "
              + ourRetries
              + " times already; the merchant's limit is "
              + policy.maxRetries()
              + ".");
    }
    if (!"active".equals(mandateStatus)) {
      return Decision.declined(
          "mandate_not_active",
          attempt,
          "The mandate is "
              + (mandateStatus == null ? "unknown" : mandateStatus)
              + ", not active.");
    }
    BankCalendar calendar = BankCalendar.of(failure.scheme());
    LocalDate earliest =
        calendar.addWorkingDays(
            failure.failedAt().atZone(ZoneOffset.UTC).toLocalDate(), leadWorkingDays);
    if (nextPossibleChargeDate != null && nextPossibleChargeDate.isAfter(earliest)) {
      earliest = calendar.rollForward(nextPossibleChargeDate);
    }
    var chosen = ChargeDates.choose(calendar, earliest, policy.windowDays(), history);
    return new Decision(
        Decision.Outcome.SCHEDULED, chosen.reason(), chosen.date(), attempt, chosen.explanation());
  }

  static boolean retryable(String cause, String scheme) {
    if (cause == null) {
      return false;
    }
    return RETRYABLE_CAUSES.contains(cause)
        || (REFER_TO_PAYER.equals(cause) && "bacs".equals(scheme));
  }
}
