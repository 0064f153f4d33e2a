package io.paybridge.billing.retry;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A decision as recorded: the failure, what was decided and why, and whether GoCardless took the
 * retry.
 *
 * @param outcome {@code scheduled} or {@code declined}
 * @param issueState for a scheduled retry: {@code scheduled} (not yet asked of GoCardless), {@code
 *     issued} or {@code refused} (GoCardless refused it; {@code issueDetail} says why); {@code
 *     null} when declined
 */
public record RecordedDecision(
    String id,
    String failureEventId,
    String paymentId,
    String merchantId,
    String mandateId,
    String failureCause,
    String failureReasonCode,
    Instant failedAt,
    String outcome,
    String reason,
    LocalDate chargeDate,
    int attempt,
    String explanation,
    Instant decidedAt,
    String issueState,
    String issueDetail,
    Instant issuedAt) {}
