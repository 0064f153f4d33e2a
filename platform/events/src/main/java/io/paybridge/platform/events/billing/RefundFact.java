package io.paybridge.platform.events.billing;

import io.paybridge.platform.events.Topics;
import java.time.Instant;

/** Facts of a refund, on {@code billing.refund}; amounts in minor units with their currency. */
public sealed interface RefundFact extends BillingFact permits RefundFact.RefundPaid {

  String refundId();

  @Override
  default String resourceId() {
    return refundId();
  }

  @Override
  default String topic() {
    return Topics.BILLING_REFUND;
  }

  /** The refund was paid to the payer. */
  record RefundPaid(
      String merchantId,
      String team,
      String organisationId,
      String refundId,
      String paymentId,
      long amount,
      String currency,
      Instant occurredAt,
      String gocardlessEventId)
      implements RefundFact {}
}
