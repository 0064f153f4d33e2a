package io.paybridge.billing.payment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A payment on a mandate of the team's.
 *
 * @param amount in minor units, at least 1
 * @param chargeDate {@code YYYY-MM-DD}, not before the mandate's next possible charge date; absent:
 *     as soon as possible
 * @param payerPresent whether the payer is taking part in this payment now (for example at a
 *     checkout); sent to GoCardless as {@code psu_interaction_type} {@code in_session}. Absent or
 *     false: a merchant-initiated payment on the mandate, {@code off_session} (docs/psd2.md)
 */
public record CreatePayment(
    String mandateId,
    Long amount,
    String currency,
    String chargeDate,
    String description,
    String reference,
    Boolean retryIfPossible,
    Map<String, String> metadata,
    // Left out of the JSON when absent, so that a request without it hashes as it did before the
    // field existed (Idempotency-Key replays across an upgrade).
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean payerPresent) {

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
   * The payer's part as GoCardless's {@code psu_interaction_type} (PSD2: a payment the payer takes
   * part in is {@code in_session}; one the merchant starts on a mandate is {@code off_session}).
   */
  public String psuInteractionType() {
    return Boolean.TRUE.equals(payerPresent) ? "in_session" : "off_session";
  }

  /**
   * @param chargeDate {@code YYYY-MM-DD}, or absent for as soon as possible
   */
  public record Retry(String chargeDate) {}
}
