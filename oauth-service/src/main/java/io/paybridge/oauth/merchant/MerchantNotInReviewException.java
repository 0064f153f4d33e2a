package io.paybridge.oauth.merchant;

/** Only a connection held for review can be confirmed. */
final class MerchantNotInReviewException extends RuntimeException {

  MerchantNotInReviewException(String merchantId, MerchantStatus status) {
    super(
        "Merchant " + merchantId + " is " + status.wire() + ", not held for review",
        null,
        false,
        false);
  }
}
