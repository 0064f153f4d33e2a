package io.paybridge.billing.merchant;

/** The caller's team has no merchant with this id (another team's merchant looks the same). */
public class MerchantNotFoundException extends RuntimeException {
  public MerchantNotFoundException(String merchantId) {
    super("No merchant " + merchantId + " for this team");
  }
}
