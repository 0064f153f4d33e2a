package io.paybridge.platform.gocardless;

/** Where a merchant's GoCardless token comes from (oauth-service's vault). */
public interface MerchantTokens {

  /**
   * The merchant's current token.
   *
   * @throws GoCardlessFailure.MerchantNotConnected when the merchant is not connected
   * @throws GoCardlessFailure.Unavailable when the vault cannot answer now
   */
  MerchantToken fetch(String merchantId);
}
