package io.paybridge.billing.merchant;

import org.springframework.stereotype.Component;

/** Which merchants a team may use: its own, connected ones. */
@Component
public class Merchants {

  private final MerchantRepository repository;

  Merchants(MerchantRepository repository) {
    this.repository = repository;
  }

  /**
   * The team's merchant.
   *
   * @throws MerchantNotFoundException when it is another team's, unknown, or no longer connected
   */
  public Merchant ownedBy(String team, String merchantId) {
    return repository
        .find(merchantId)
        .filter(m -> m.team().equals(team) && m.connected())
        .orElseThrow(() -> new MerchantNotFoundException(merchantId));
  }
}
