package io.paybridge.oauth.merchant;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code merchant}; never leaves the feature (see {@link MerchantView}).
 *
 * @param reviewMismatches the fields ({@link MerchantExpectations#EMAIL}, {@link
 *     MerchantExpectations#COMPANY_NAME}) whose received value differed from the expected one; the
 *     received values are kept for those fields only
 */
record Merchant(
    String id,
    String team,
    MerchantStatus status,
    String organisationId,
    String creditorId,
    String verificationStatus,
    String failureReason,
    String disconnectReason,
    String stateNonceHash,
    Instant stateExpiresAt,
    Instant stateConsumedAt,
    Instant createdAt,
    Instant connectedAt,
    Instant disconnectedAt,
    MerchantExpectations expected,
    List<String> reviewMismatches,
    String receivedEmail,
    String receivedCompanyName,
    String reviewedBy,
    Instant reviewedAt) {}
