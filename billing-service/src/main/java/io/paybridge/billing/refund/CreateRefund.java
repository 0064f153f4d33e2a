package io.paybridge.billing.refund;

import java.util.Map;

/**
 * A refund of (part of) a team's payment.
 *
 * @param amount in minor units, at least 1; the payment's refunds never total more than its amount
 */
public record CreateRefund(
    String paymentId, Long amount, String reference, Map<String, String> metadata) {

  public CreateRefund {
    if (paymentId == null || paymentId.isBlank()) {
      throw new IllegalArgumentException("paymentId is required");
    }
    if (amount == null || amount < 1 || amount > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("amount must be a positive amount in minor units");
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
