package io.paybridge.platform.events.billing;

import io.paybridge.platform.events.Topics;
import java.time.Instant;
import java.time.LocalDate;

/** Facts of a payment, on {@code billing.payment}; amounts in minor units with their currency. */
public sealed interface PaymentFact extends BillingFact
    permits PaymentFact.PaymentConfirmed,
        PaymentFact.PaymentCreated,
        PaymentFact.PaymentFailed,
        PaymentFact.PaymentPaidOut,
        PaymentFact.PaymentCancelled,
        PaymentFact.PaymentChargedBack,
        PaymentFact.PaymentRetryScheduled,
        PaymentFact.PaymentRetryDeclined {

  String paymentId();

  @Override
  default String resourceId() {
    return paymentId();
  }

  @Override
  default String topic() {
    return Topics.BILLING_PAYMENT;
  }

  /**
   * GoCardless created the payment (its {@code payments.created} event): what outcome analytics
   * group it by and measure its times from. Published once per payment; the other facts of the
   * payment may be delivered before it.
   *
   * @param scheme the Direct Debit scheme GoCardless collects it through ({@code bacs}, {@code
   *     sepa_core}, …; the payment's {@code scheme}), {@code null} when GoCardless did not say
   * @param chargeDate the date GoCardless will (or did) collect it, {@code null} when not known
   * @param occurredAt when GoCardless created the payment (the event's {@code created_at})
   */
  record PaymentCreated(
      String merchantId,
      String team,
      String organisationId,
      String paymentId,
      String mandateId,
      long amount,
      String currency,
      String scheme,
      LocalDate chargeDate,
      Instant occurredAt,
      String gocardlessEventId)
      implements PaymentFact {}

  /** GoCardless collected the payment (also after a chargeback was cancelled). */
  record PaymentConfirmed(
      String merchantId,
      String team,
      String organisationId,
      String paymentId,
      String mandateId,
      long amount,
      String currency,
      Instant occurredAt,
      String gocardlessEventId)
      implements PaymentFact {}

  /**
   * The payment failed, possibly after it was confirmed or paid out (a late failure).
   *
   * @param willAttemptRetry whether GoCardless itself will retry it (Success+); {@code null} when
   *     the event did not say
   */
  record PaymentFailed(
      String merchantId,
      String team,
      String organisationId,
      String paymentId,
      String mandateId,
      long amount,
      String currency,
      String cause,
      String reasonCode,
      String description,
      Boolean willAttemptRetry,
      Instant occurredAt,
      String gocardlessEventId)
      implements PaymentFact {}

  /** The payment is in a payout to the merchant. */
  record PaymentPaidOut(
      String merchantId,
      String team,
      String organisationId,
      String paymentId,
      String mandateId,
      long amount,
      String currency,
      String payoutId,
      Instant occurredAt,
      String gocardlessEventId)
      implements PaymentFact {}

  record PaymentCancelled(
      String merchantId,
      String team,
      String organisationId,
      String paymentId,
      String mandateId,
      long amount,
      String currency,
      String cause,
      Instant occurredAt,
      String gocardlessEventId)
      implements PaymentFact {}

  record PaymentChargedBack(
      String merchantId,
      String team,
      String organisationId,
      String paymentId,
      String mandateId,
      long amount,
      String currency,
      String cause,
      String reasonCode,
      String description,
      Instant occurredAt,
      String gocardlessEventId)
      implements PaymentFact {}

  /**
   * PayBridge's smart retries will retry a failed payment (billing-service then asks GoCardless to
   * collect it again on {@code chargeDate}); one per failure.
   *
   * @param attempt which retry this is for the payment (1 = the first)
   * @param reason why this date: {@code payer_history}, {@code merchant_history} or {@code
   *     no_history} (the earliest date)
   * @param failureCause GoCardless's {@code cause} of the failure
   * @param occurredAt GoCardless's time of the failure
   * @param gocardlessEventId the failure's GoCardless event
   */
  record PaymentRetryScheduled(
      String merchantId,
      String team,
      String organisationId,
      String paymentId,
      String mandateId,
      long amount,
      String currency,
      LocalDate chargeDate,
      int attempt,
      String reason,
      String failureCause,
      Instant decidedAt,
      Instant occurredAt,
      String gocardlessEventId)
      implements PaymentFact {}

  /**
   * PayBridge's smart retries will not retry a failed payment; one per failure.
   *
   * @param reason {@code smart_retries_off}, {@code gocardless_will_retry}, {@code
   *     cause_not_retryable}, {@code gocardless_retry_limit}, {@code team_retry_limit} or {@code
   *     mandate_not_active}
   * @param failureCause GoCardless's {@code cause} of the failure
   * @param occurredAt GoCardless's time of the failure
   * @param gocardlessEventId the failure's GoCardless event
   */
  record PaymentRetryDeclined(
      String merchantId,
      String team,
      String organisationId,
      String paymentId,
      String mandateId,
      long amount,
      String currency,
      String reason,
      String failureCause,
      Instant decidedAt,
      Instant occurredAt,
      String gocardlessEventId)
      implements PaymentFact {}
}
