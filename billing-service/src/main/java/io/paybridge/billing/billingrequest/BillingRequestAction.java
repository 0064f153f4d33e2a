package io.paybridge.billing.billingrequest;

/**
 * The fields of a billing request action; each action reads the ones it needs (GoCardless's
 * actions, docs/gocardless/API.md §3.4).
 *
 * @param customer for {@code collect-customer-details}
 * @param billingDetail for {@code collect-customer-details}
 * @param accountHolderName for {@code collect-bank-account}, with {@code branchCode} and {@code
 *     accountNumber}, or {@code iban}
 * @param institution for {@code select-institution}, with {@code countryCode}
 * @param currency for {@code choose-currency} (and the bank account's currency)
 * @param notificationType for {@code notify} ({@code email}), with {@code redirectUri}
 */
public record BillingRequestAction(
    Customer customer,
    BillingDetail billingDetail,
    String accountHolderName,
    String branchCode,
    String accountNumber,
    String iban,
    String countryCode,
    String institution,
    String currency,
    String notificationType,
    String redirectUri) {

  public static final BillingRequestAction NONE =
      new BillingRequestAction(null, null, null, null, null, null, null, null, null, null, null);

  public record Customer(String givenName, String familyName, String companyName, String email) {}

  public record BillingDetail(
      String addressLine1, String city, String postalCode, String countryCode) {}
}
