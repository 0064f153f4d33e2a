package io.paybridge.platform.gocardless;

/**
 * A connected merchant's GoCardless access token, as oauth-service hands it out. Held in memory
 * only; {@link #toString()} never shows the token.
 *
 * @param merchantId PayBridge's merchant id
 * @param organisationId the merchant's GoCardless organisation ({@code OR…})
 * @param accessToken the bearer token for GoCardless's API
 */
public record MerchantToken(String merchantId, String organisationId, String accessToken) {

  @Override
  public String toString() {
    return "MerchantToken[merchantId=" + merchantId + ", organisationId=" + organisationId + "]";
  }
}
