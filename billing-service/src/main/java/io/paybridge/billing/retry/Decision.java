package io.paybridge.billing.retry;

import java.time.LocalDate;

/**
 * What smart retries decided for one failure, and why.
 *
 * @param reason for a retry where its date comes from ({@code payer_history}, {@code
 *     merchant_history}, {@code no_history}); for a decline why ({@code smart_retries_off}, {@code
 *     gocardless_will_retry}, {@code cause_not_retryable}, {@code gocardless_retry_limit}, {@code
 *     team_retry_limit}, {@code mandate_not_active})
 * @param chargeDate the retry's charge date; {@code null} when declined
 * @param attempt which retry of the payment this would be (1 = the first)
 * @param explanation the same in words, for people
 */
public record Decision(
    Outcome outcome, String reason, LocalDate chargeDate, int attempt, String explanation) {

  public enum Outcome {
    SCHEDULED,
    DECLINED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static Decision declined(String reason, int attempt, String explanation) {
    return new Decision(Outcome.DECLINED, reason, null, attempt, explanation);
  }
}
