package io.paybridge.billing.billingrequest;

/**
 * A hosted payer page for a billing request.
 *
 * @param redirectUri where the payer goes once done
 * @param exitUri where the payer goes on leaving
 * @param language e.g. {@code en}
 */
public record CreateFlow(
    String billingRequestId,
    String redirectUri,
    String exitUri,
    String language,
    Boolean lockBankAccount,
    Boolean lockCustomerDetails,
    Boolean lockCurrency,
    Prefill prefilledCustomer) {

  public CreateFlow {
    if (billingRequestId == null || billingRequestId.isBlank()) {
      throw new IllegalArgumentException("billingRequestId is required");
    }
  }

  public record Prefill(String givenName, String familyName, String email, String companyName) {}

  /** The flow as the team gets it: the URL to send the payer to. */
  public record Flow(
      String id,
      String billingRequestId,
      String authorisationUrl,
      String expiresAt,
      String redirectUri,
      String exitUri) {}
}
