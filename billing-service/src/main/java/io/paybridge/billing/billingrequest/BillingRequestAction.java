package io.paybridge.billing.billingrequest;

/**
 * The fields of a billing request action (no bank details: the payer gives those on GoCardless's
 * hosted page only); each action reads the ones it needs (GoCardless's actions,
 * docs/gocardless/API.md §3.4).
 *
 * @param customer for {@code collect-customer-details}
 * @param billingDetail for {@code collect-customer-details}
 * @param institution for {@code select-institution}, with {@code countryCode}
 * @param currency for {@code choose-currency}
 * @param notificationType for {@code notify} ({@code email}), with {@code redirectUri}
 */
public record BillingRequestAction(
    Customer customer,
    BillingDetail billingDetail,
    String countryCode,
    String institution,
    String currency,
    String notificationType,
    String redirectUri) {

  public static final BillingRequestAction NONE =
      new BillingRequestAction(null, null, null, null, null, null, null);

  public record Customer(String givenName, String familyName, String companyName, String email) {}

  public record BillingDetail(
      String addressLine1, String city, String postalCode, String countryCode) {}
}
