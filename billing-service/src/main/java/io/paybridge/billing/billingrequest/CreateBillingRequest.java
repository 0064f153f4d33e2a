package io.paybridge.billing.billingrequest;

import java.util.Map;
import java.util.Set;

/**
 * A billing request as a team asks for it: a payment request, a mandate request, or both.
 *
 * @param merchantId the team's connected merchant (PayBridge's merchant id)
 * @param metadata up to 3 keys, GoCardless's rules
 */
public record CreateBillingRequest(
    String merchantId,
    PaymentRequest paymentRequest,
    MandateRequest mandateRequest,
    Map<String, String> metadata) {

  static final Set<String> VERIFY_LEVELS =
      Set.of("minimum", "recommended", "when_available", "always");

  public CreateBillingRequest {
    if (merchantId == null || merchantId.isBlank()) {
      throw new IllegalArgumentException("merchantId is required");
    }
    if (paymentRequest == null && mandateRequest == null) {
      throw new IllegalArgumentException("paymentRequest, mandateRequest or both are required");
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * A one-off payment (open banking where the scheme allows it).
   *
   * @param amount in minor units (pence, cents), at least 1
   * @param currency ISO 4217, e.g. {@code GBP}
   * @param retryIfPossible GoCardless's Success+ retries of a failed payment
   */
  public record PaymentRequest(
      Long amount, String currency, String description, String reference, Boolean retryIfPossible) {
    public PaymentRequest {
      if (amount == null || amount < 1 || amount > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "paymentRequest.amount must be a positive amount in minor units");
      }
      requireCurrency(currency, "paymentRequest.currency");
    }
  }

  /**
   * A mandate for later payments.
   *
   * @param scheme e.g. {@code bacs}, {@code sepa_core}; GoCardless chooses by currency when absent
   * @param verify the payer verification wanted: {@code minimum}, {@code recommended}, {@code
   *     when_available} or {@code always} (default GoCardless's, {@code recommended})
   */
  public record MandateRequest(
      String scheme, String currency, String verify, String reference, String description) {
    public MandateRequest {
      if (currency != null) {
        requireCurrency(currency, "mandateRequest.currency");
      }
      if (verify != null && !VERIFY_LEVELS.contains(verify)) {
        throw new IllegalArgumentException(
            "mandateRequest.verify must be one of minimum, recommended, when_available, always");
      }
    }
  }

  private static void requireCurrency(String currency, String field) {
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException(field + " must be an ISO 4217 code such as GBP");
    }
  }
}
