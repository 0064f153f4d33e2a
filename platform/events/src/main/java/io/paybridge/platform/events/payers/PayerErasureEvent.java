package io.paybridge.platform.events.payers;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The facts on {@code payers.erasure}: an operator asked to erase a payer's personal data
 * (billing-service publishes {@link PayerErasureRequested}), and each service that held any erased
 * it ({@link PayerErasureApplied}, one per service and request). billing-service reads the
 * acknowledgements to answer the request's status.
 *
 * <p>The record: topic {@link #TOPIC}; key = {@link #requestId()}, so a request and its
 * acknowledgements share a partition and keep their order; headers {@code id} (a new UUID, the
 * dedup key), {@code eventType} = {@link #eventType()}, the record's simple name; no {@code tenant}
 * (an operator's request spans every team). The value is a JSON object whose field names are the
 * record components' names, instants as ISO-8601 strings (docs/asyncapi.yaml; golden files in
 * billing-service's tests).
 *
 * <p>The request carries the GoCardless customer id: the services need it to find the payer in what
 * they keep as GoCardless sent it. That is personal data on a topic; the topic's retention is short
 * (deploy/, Strimzi), and billing-service removes the id from its kept outbox row once it has
 * applied the request itself.
 */
public sealed interface PayerErasureEvent
    permits PayerErasureEvent.PayerErasureRequested, PayerErasureEvent.PayerErasureApplied {

  /** The topic every erasure fact is published on. */
  String TOPIC = Topics.PAYERS_ERASURE;

  /** The erasure request's id (a UUID), the record key. */
  String requestId();

  /** The wire event type: the record's simple name (ADR 0002). Not a JSON field. */
  default String eventType() {
    return getClass().getSimpleName();
  }

  /**
   * The outbox row that publishes this fact, with a new random event id.
   *
   * @param payload this event as JSON (the producing service serialises it)
   */
  default OutboxEvent toOutboxEvent(String payload) {
    return OutboxEvent.newEvent(TOPIC, requestId(), eventType(), payload);
  }

  /**
   * An operator asked to erase a payer's personal data.
   *
   * @param customerId GoCardless's customer id ({@code CU…}) of the payer
   * @param pseudonym what replaces the customer id where a financial record must stay joinable: a
   *     keyed hash of it ({@code erased-} and 32 hex digits), the same in every service
   * @param resourceIds the GoCardless ids of the payer's resources billing-service knew when the
   *     request was made (billing requests, mandates, payments, refunds, subscriptions, instalment
   *     schedules), for services that know a payer's records only by them
   * @param requestedBy the operator (the token's subject or client id)
   */
  record PayerErasureRequested(
      String requestId,
      String customerId,
      String pseudonym,
      List<String> resourceIds,
      String requestedBy,
      Instant requestedAt)
      implements PayerErasureEvent {
    public PayerErasureRequested {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(customerId, "customerId");
      Objects.requireNonNull(pseudonym, "pseudonym");
      resourceIds = resourceIds == null ? List.of() : List.copyOf(resourceIds);
    }
  }

  /**
   * A service erased the payer's personal data it held (or found none).
   *
   * @param service the service's name ({@code billing-service}, ...)
   * @param rowsChanged how many of its rows were erased or pseudonymised
   */
  record PayerErasureApplied(String requestId, String service, int rowsChanged, Instant appliedAt)
      implements PayerErasureEvent {}
}
