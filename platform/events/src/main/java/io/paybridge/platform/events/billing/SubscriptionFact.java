package io.paybridge.platform.events.billing;

import io.paybridge.platform.events.Topics;
import java.time.Instant;

/**
 * Facts of a subscription, on {@code billing.subscription}: the moves of GoCardless's subscription
 * events that change what a team collects (docs/gocardless/API.md §4.5, §5.3). {@code cause},
 * {@code reasonCode} and {@code description} are GoCardless's event details as sent ({@code null}
 * when absent). The terms after an amendment are not in the fact: read the subscription.
 */
public sealed interface SubscriptionFact extends BillingFact
    permits SubscriptionFact.SubscriptionCreated,
        SubscriptionFact.SubscriptionPaymentCreated,
        SubscriptionFact.SubscriptionAmended,
        SubscriptionFact.SubscriptionPaused,
        SubscriptionFact.SubscriptionResumed,
        SubscriptionFact.SubscriptionCancelled,
        SubscriptionFact.SubscriptionFinished {

  String subscriptionId();

  /** The mandate the subscription collects on. */
  String mandateId();

  @Override
  default String resourceId() {
    return subscriptionId();
  }

  @Override
  default String topic() {
    return Topics.BILLING_SUBSCRIPTION;
  }

  /**
   * The subscription was created ({@code subscriptions}/{@code created}).
   *
   * @param amount each payment's amount in minor units, as the subscription was known when the fact
   *     was written
   */
  record SubscriptionCreated(
      String merchantId,
      String team,
      String organisationId,
      String subscriptionId,
      String mandateId,
      long amount,
      String currency,
      Instant occurredAt,
      String gocardlessEventId)
      implements SubscriptionFact {}

  /**
   * GoCardless created a payment of the subscription on its schedule ({@code payment_created}).
   *
   * @param paymentId the payment ({@code links.payment}); its own facts follow on {@code
   *     billing.payment}
   */
  record SubscriptionPaymentCreated(
      String merchantId,
      String team,
      String organisationId,
      String subscriptionId,
      String mandateId,
      String paymentId,
      Instant occurredAt,
      String gocardlessEventId)
      implements SubscriptionFact {}

  /** The subscription's terms were changed through the API ({@code amended}). */
  record SubscriptionAmended(
      String merchantId,
      String team,
      String organisationId,
      String subscriptionId,
      String mandateId,
      Instant occurredAt,
      String gocardlessEventId)
      implements SubscriptionFact {}

  /** No payments are created until it is resumed ({@code paused}). */
  record SubscriptionPaused(
      String merchantId,
      String team,
      String organisationId,
      String subscriptionId,
      String mandateId,
      Instant occurredAt,
      String gocardlessEventId)
      implements SubscriptionFact {}

  /** Payments are created on the schedule again ({@code resumed}). */
  record SubscriptionResumed(
      String merchantId,
      String team,
      String organisationId,
      String subscriptionId,
      String mandateId,
      Instant occurredAt,
      String gocardlessEventId)
      implements SubscriptionFact {}

  /**
   * The subscription was cancelled: through the API, or because its mandate ended ({@code cause}
   * e.g. {@code mandate_cancelled}).
   */
  record SubscriptionCancelled(
      String merchantId,
      String team,
      String organisationId,
      String subscriptionId,
      String mandateId,
      String cause,
      String reasonCode,
      String description,
      Instant occurredAt,
      String gocardlessEventId)
      implements SubscriptionFact {}

  /** Every payment of the subscription has been created ({@code finished}). */
  record SubscriptionFinished(
      String merchantId,
      String team,
      String organisationId,
      String subscriptionId,
      String mandateId,
      Instant occurredAt,
      String gocardlessEventId)
      implements SubscriptionFact {}
}
