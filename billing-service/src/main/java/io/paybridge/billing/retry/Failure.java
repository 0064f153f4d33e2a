package io.paybridge.billing.retry;

import java.time.Instant;

/**
 * A payment failure to decide on: GoCardless's {@code payments/failed} event as billing-service's
 * {@code PaymentFailed} fact tells it, plus the payment's scheme.
 *
 * @param failureEventId GoCardless's event id: one decision per failure
 * @param willAttemptRetry GoCardless's {@code details.will_attempt_retry} ({@code null}: not said)
 */
record Failure(
    String failureEventId,
    String paymentId,
    String merchantId,
    String team,
    String organisationId,
    String mandateId,
    long amount,
    String currency,
    String scheme,
    String cause,
    String reasonCode,
    Boolean willAttemptRetry,
    Instant failedAt) {}
