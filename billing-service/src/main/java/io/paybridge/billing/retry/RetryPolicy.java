package io.paybridge.billing.retry;

import java.time.Instant;

/**
 * A merchant's smart retry policy.
 *
 * @param maxRetries PayBridge's retries of one payment (1–3; GoCardless allows 3 in all)
 * @param windowDays how many days after the earliest possible charge date a retry may be placed
 *     (1–31)
 * @param updatedAt when its team last set it; {@code null} for the defaults
 */
public record RetryPolicy(
    String merchantId, boolean enabled, int maxRetries, int windowDays, Instant updatedAt) {

  static final int GOCARDLESS_RETRY_LIMIT = 3;
  static final int MAX_WINDOW_DAYS = 31;

  public RetryPolicy {
    if (maxRetries < 1 || maxRetries > GOCARDLESS_RETRY_LIMIT) {
      throw new InvalidRetryPolicyException(
          "maxRetries must be between 1 and " + GOCARDLESS_RETRY_LIMIT + " (GoCardless's limit)");
    }
    if (windowDays < 1 || windowDays > MAX_WINDOW_DAYS) {
      throw new InvalidRetryPolicyException("windowDays must be between 1 and " + MAX_WINDOW_DAYS);
    }
  }
}
