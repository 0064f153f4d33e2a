package io.paybridge.platform.events.billing;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.Topics;
import java.time.Instant;

/**
 * The facts billing-service publishes on {@code billing.*}: what happened to a team's billing
 * request, mandate, payment, refund, subscription or instalment schedule at GoCardless, one fact
 * per GoCardless event that says so.
 *
 * <p>The record: topic {@link #topic()}; key = {@link #resourceId()} (the GoCardless id, so one
 * resource's facts keep their order); headers {@code id} (a new UUID), {@code eventType} = the
 * record's simple name, {@code tenant} = {@link #team()}, {@code organisationId}. The value is a
 * JSON object whose field names are the record components' names, amounts in minor units with their
 * {@code currency}, instants as ISO-8601 strings. notification-service reads these generically:
 * names and fields are the contract (golden files in billing-service's tests, docs/asyncapi.yaml).
 */
public sealed interface BillingFact
    permits BillingRequestFact,
        MandateFact,
        PaymentFact,
        RefundFact,
        SubscriptionFact,
        InstalmentScheduleFact {

  /** PayBridge's merchant id. */
  String merchantId();

  /** The owning team: the {@code tenant} header. */
  String team();

  /** The merchant's GoCardless organisation: the {@code organisationId} header. */
  String organisationId();

  /** GoCardless's time of the event. */
  Instant occurredAt();

  /** The GoCardless event ({@code EV…}) this fact comes from. */
  String gocardlessEventId();

  /** The GoCardless id of the resource: the record key. */
  String resourceId();

  /** The topic of the fact's resource. */
  String topic();

  /** The wire event type: the record's simple name. Not a JSON field. */
  default String eventType() {
    return getClass().getSimpleName();
  }

  /**
   * The outbox row that publishes this fact, with a new random event id (billing-service applies
   * each GoCardless event once, so each fact is written once).
   *
   * @param payload this fact as JSON (the producing service serialises it)
   */
  default OutboxEvent toOutboxEvent(String payload) {
    return OutboxEvent.newEvent(topic(), resourceId(), eventType(), payload)
        .withTenant(team())
        .withOrganisationId(organisationId());
  }

  /** The topics of billing facts. */
  static java.util.List<String> topics() {
    return java.util.List.of(
        Topics.BILLING_BILLING_REQUEST,
        Topics.BILLING_MANDATE,
        Topics.BILLING_PAYMENT,
        Topics.BILLING_REFUND,
        Topics.BILLING_SUBSCRIPTION,
        Topics.BILLING_INSTALMENT_SCHEDULE);
  }
}
