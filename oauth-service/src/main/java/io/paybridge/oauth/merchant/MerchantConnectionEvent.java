package io.paybridge.oauth.merchant;

import java.time.Instant;

/**
 * The facts published on {@code merchants.connection} (key = merchant id, headers {@code tenant} =
 * team and {@code organisationId}). The wire type is the record's simple name. No event ever
 * carries a token.
 */
public sealed interface MerchantConnectionEvent
    permits MerchantConnectionEvent.MerchantConnected,
        MerchantConnectionEvent.MerchantVerificationChanged,
        MerchantConnectionEvent.MerchantDisconnected {

  String merchantId();

  String team();

  String organisationId();

  /** A team's merchant granted PayBridge access to its GoCardless organisation. */
  record MerchantConnected(
      String merchantId,
      String team,
      String organisationId,
      String creditorId,
      String verificationStatus,
      Instant connectedAt)
      implements MerchantConnectionEvent {}

  /**
   * GoCardless changed the verification status of a connected merchant's creditor. While it is
   * {@code action_required}, {@code verificationUrl} is where to send the merchant.
   */
  record MerchantVerificationChanged(
      String merchantId,
      String team,
      String organisationId,
      String creditorId,
      String previousVerificationStatus,
      String verificationStatus,
      String verificationUrl,
      Instant changedAt)
      implements MerchantConnectionEvent {}

  /**
   * The connection ended: {@code reason} is {@code revoked_by_merchant} (the merchant revoked the
   * app at GoCardless) or {@code disconnected_by_team}.
   */
  record MerchantDisconnected(
      String merchantId, String team, String organisationId, String reason, Instant disconnectedAt)
      implements MerchantConnectionEvent {}
}
