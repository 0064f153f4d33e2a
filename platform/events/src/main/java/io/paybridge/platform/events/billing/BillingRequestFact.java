package io.paybridge.platform.events.billing;

import io.paybridge.platform.events.Topics;
import java.time.Instant;

/** Facts of a billing request, on {@code billing.billing-request}. */
public sealed interface BillingRequestFact extends BillingFact
    permits BillingRequestFact.BillingRequestCreated,
        BillingRequestFact.BillingRequestFulfilled,
        BillingRequestFact.BillingRequestCancelled {

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
   * GoCardless created the billing request (its {@code billing_requests.created} event): the start
   * of the mandate set-up funnel.
   *
   * @param mandateRequested whether it asks for a mandate ({@code mandate_request})
   * @param scheme the scheme of its mandate request, else of its payment request; {@code null} when
   *     neither names one (the payer then chooses)
   */
  record BillingRequestCreated(
      String merchantId,
      String team,
      String organisationId,
      String billingRequestId,
      boolean mandateRequested,
      String scheme,
      Instant occurredAt,
      String gocardlessEventId)
      implements BillingRequestFact {}

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
