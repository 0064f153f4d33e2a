package io.paybridge.oauth.merchant;

import java.time.Instant;

/** One row of {@code merchant}; never leaves the feature (see {@link MerchantView}). */
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
    Instant disconnectedAt) {}
