package io.paybridge.platform.events.notifications;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.Topics;
import java.time.Instant;

/**
 * The facts published on {@code notifications.delivery} by notification-service: a delivery of a
 * fact to a team's endpoint (webhook or email) succeeded or was given up, or an endpoint was
 * disabled. No event carries a signing secret or a delivered body.
 *
 * <p>The record: topic {@link #TOPIC}; key = {@link #endpointId()} (the subscription), so one
 * endpoint's facts keep their order; headers {@code eventType} = the record's simple name, {@code
 * tenant} = {@link #team()}; a new UUID as {@code id}. The value is a JSON object whose field names
 * are the record components' names, instants as ISO-8601 strings, absent values as {@code null}
 * (docs/asyncapi.yaml; golden files in notification-service's tests).
 */
public sealed interface DeliveryEvent
    permits DeliveryEvent.DeliverySucceeded,
        DeliveryEvent.DeliveryFailed,
        DeliveryEvent.EndpointDisabled {

  /** The topic every delivery fact is published on. */
  String TOPIC = Topics.NOTIFICATIONS_DELIVERY;

  /** The endpoint (subscription) the fact is about, the record key. */
  String endpointId();

  /** The team that owns the endpoint, the {@code tenant} header. */
  String team();

  /** The wire event type: the record's simple name. Not a JSON field. */
  default String eventType() {
    return getClass().getSimpleName();
  }

  /**
   * The outbox row that publishes this fact, with a new random event id.
   *
   * @param payload this event as JSON (the producing service serialises it)
   */
  default OutboxEvent toOutboxEvent(String payload) {
    return OutboxEvent.newEvent(TOPIC, endpointId(), eventType(), payload).withTenant(team());
  }

  /**
   * A delivery was accepted: a 2xx answer from the webhook endpoint, or the SMTP server took the
   * email.
   *
   * @param deliveryId the delivery, also the {@code webhook-id} the receiver saw
   * @param factId the id of the platform fact that was delivered
   * @param factType that fact's type ({@code PaymentFailed}, ...)
   * @param channel {@code webhook} or {@code email}
   * @param attempts how many attempts it took (1 on the first)
   * @param statusCode the receiver's HTTP status; {@code null} for email
   */
  record DeliverySucceeded(
      String deliveryId,
      String endpointId,
      String team,
      String factId,
      String factType,
      String channel,
      int attempts,
      Integer statusCode,
      Instant deliveredAt)
      implements DeliveryEvent {}

  /**
   * A delivery was given up: its retries are used up, or its endpoint asked to be disabled (410).
   * It stays in the attempt log as dead and can be replayed.
   *
   * @param lastOutcome the outcome of the last attempt ({@code http_error}, {@code gone}, {@code
   *     redirect}, {@code timeout}, {@code network_error}, {@code refused_address}, {@code
   *     smtp_error})
   * @param lastStatusCode the last HTTP status, {@code null} when there was none
   */
  record DeliveryFailed(
      String deliveryId,
      String endpointId,
      String team,
      String factId,
      String factType,
      String channel,
      int attempts,
      String lastOutcome,
      Integer lastStatusCode,
      Instant failedAt)
      implements DeliveryEvent {}

  /**
   * An endpoint stopped receiving deliveries until its team enables it again.
   *
   * @param reason {@code gone} (it answered 410) or {@code failing} (every attempt failed for the
   *     configured time)
   * @param failingSince the first failed attempt since the last success, {@code null} for {@code
   *     gone} on a first failure
   */
  record EndpointDisabled(
      String endpointId, String team, String reason, Instant failingSince, Instant disabledAt)
      implements DeliveryEvent {}
}
