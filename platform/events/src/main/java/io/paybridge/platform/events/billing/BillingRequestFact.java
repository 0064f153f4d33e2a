package io.paybridge.platform.events.billing;

import io.paybridge.platform.events.Topics;
import java.time.Instant;

/** Facts of a billing request, on {@code billing.billing-request}. */
public sealed interface BillingRequestFact extends BillingFact
    permits BillingRequestFact.BillingRequestFulfilled, BillingRequestFact.BillingRequestCancelled {

  String billingRequestId();

  @Override
  default String resourceId() {
    return billingRequestId();
  }

  @Override
  default String topic() {
    return Topics.BILLING_BILLING_REQUEST;
  }

  /**
   * The payer completed the billing request: what it asked for exists.
   *
   * @param mandateId the mandate it created, or {@code null}
   * @param paymentId the payment it created, or {@code null}
   */
  record BillingRequestFulfilled(
      String merchantId,
      String team,
      String organisationId,
      String billingRequestId,
      String mandateId,
      String paymentId,
      Instant occurredAt,
      String gocardlessEventId)
      implements BillingRequestFact {}

  record BillingRequestCancelled(
      String merchantId,
      String team,
      String organisationId,
      String billingRequestId,
      Instant occurredAt,
      String gocardlessEventId)
      implements BillingRequestFact {}
}
