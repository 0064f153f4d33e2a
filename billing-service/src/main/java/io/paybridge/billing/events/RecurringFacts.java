package io.paybridge.billing.events;

import io.paybridge.billing.projection.Projected;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.events.billing.InstalmentScheduleFact;
import io.paybridge.platform.events.billing.SubscriptionFact;

/**
 * The facts of subscription and instalment schedule events (dispatch on {@code (resource_type,
 * action)}: both reuse {@code created} and {@code cancelled}). Which actions stand for a fact
 * follows GoCardless's event reference (docs/gocardless/API.md §5.3); the others ({@code
 * customer_approval_*}, {@code scheduled_*}, instalment schedules' {@code resumed}) give none.
 */
final class RecurringFacts {

  private RecurringFacts() {}

  /** The fact an event of a subscription or instalment schedule stands for, or {@code null}. */
  static BillingFact of(GoCardlessEvent e, Projected p) {
    String m = p.merchantId();
    String t = p.team();
    String o = p.organisationId();
    var view = p.view();
    String mandate = view.path("mandateId").asString(null);
    String currency = view.path("currency").asString(null);
    return switch (e.resourceType() + "." + e.action()) {
      case "subscriptions.created" ->
          new SubscriptionFact.SubscriptionCreated(
              m,
              t,
              o,
              p.id(),
              mandate,
              view.path("amount").asLong(),
              currency,
              e.createdAt(),
              e.id());
      case "subscriptions.payment_created" ->
          new SubscriptionFact.SubscriptionPaymentCreated(
              m, t, o, p.id(), mandate, e.link("payment"), e.createdAt(), e.id());
      case "subscriptions.amended" ->
          new SubscriptionFact.SubscriptionAmended(m, t, o, p.id(), mandate, e.createdAt(), e.id());
      case "subscriptions.paused" ->
          new SubscriptionFact.SubscriptionPaused(m, t, o, p.id(), mandate, e.createdAt(), e.id());
      case "subscriptions.resumed" ->
          new SubscriptionFact.SubscriptionResumed(m, t, o, p.id(), mandate, e.createdAt(), e.id());
      case "subscriptions.finished" ->
          new SubscriptionFact.SubscriptionFinished(
              m, t, o, p.id(), mandate, e.createdAt(), e.id());
      case "subscriptions.cancelled" ->
          new SubscriptionFact.SubscriptionCancelled(
              m,
              t,
              o,
              p.id(),
              mandate,
              e.detail("cause"),
              e.detail("reason_code"),
              e.detail("description"),
              e.createdAt(),
              e.id());
      case "instalment_schedules.created" ->
          new InstalmentScheduleFact.InstalmentScheduleCreated(
              m,
              t,
              o,
              p.id(),
              mandate,
              view.path("totalAmount").asLong(),
              currency,
              e.createdAt(),
              e.id());
      case "instalment_schedules.creation_failed" ->
          new InstalmentScheduleFact.InstalmentScheduleCreationFailed(
              m,
              t,
              o,
              p.id(),
              mandate,
              view.path("totalAmount").asLong(),
              currency,
              e.detail("cause"),
              e.detail("reason_code"),
              e.detail("description"),
              e.createdAt(),
              e.id());
      case "instalment_schedules.completed" ->
          new InstalmentScheduleFact.InstalmentScheduleCompleted(
              m, t, o, p.id(), mandate, e.createdAt(), e.id());
      case "instalment_schedules.errored" ->
          new InstalmentScheduleFact.InstalmentScheduleErrored(
              m,
              t,
              o,
              p.id(),
              mandate,
              e.detail("cause"),
              e.detail("reason_code"),
              e.detail("description"),
              e.createdAt(),
              e.id());
      case "instalment_schedules.cancelled" ->
          new InstalmentScheduleFact.InstalmentScheduleCancelled(
              m,
              t,
              o,
              p.id(),
              mandate,
              e.detail("cause"),
              e.detail("reason_code"),
              e.detail("description"),
              e.createdAt(),
              e.id());
      default -> null;
    };
  }
}
