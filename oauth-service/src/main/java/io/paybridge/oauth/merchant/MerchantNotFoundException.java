package io.paybridge.oauth.merchant;

/** No merchant with this id, or one of another team (which does not exist for the caller). */
final class MerchantNotFoundException extends RuntimeException {

  MerchantNotFoundException(String merchantId) {
    super("No merchant " + merchantId, null, false, false);
  }
}
