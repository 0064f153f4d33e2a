package io.paybridge.billing.payment;

import java.util.Map;

/**
 * A payment on a mandate of the team's.
 *
 * @param amount in minor units, at least 1
 * @param chargeDate {@code YYYY-MM-DD}, not before the mandate's next possible charge date; absent:
 *     as soon as possible
 */
public record CreatePayment(
    String mandateId,
    Long amount,
    String currency,
    String chargeDate,
    String description,
    String reference,
    Boolean retryIfPossible,
    Map<String, String> metadata) {

  public CreatePayment {
    if (mandateId == null || mandateId.isBlank()) {
      throw new IllegalArgumentException("mandateId is required");
    }
    if (amount == null || amount < 1 || amount > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("amount must be a positive amount in minor units");
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code such as GBP");
    }
    if (chargeDate != null && !chargeDate.matches("\\d{4}-\\d{2}-\\d{2}")) {
      throw new IllegalArgumentException("chargeDate must be YYYY-MM-DD");
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * @param chargeDate {@code YYYY-MM-DD}, or absent for as soon as possible
   */
  public record Retry(String chargeDate) {}
}
