package io.paybridge.platform.events.merchants;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.Topics;
import java.time.Instant;

/**
 * The facts published on {@code merchants.connection} by oauth-service: a team's merchant (a
 * GoCardless organisation) connected, changed verification status, or disconnected. No event ever
 * carries a token.
 *
 * <p>The record: topic {@link #TOPIC}; key = {@link #merchantId()}, so one merchant's facts keep
 * their order; headers {@code eventType} = {@link #eventType()}, the record's simple name, {@code
 * tenant} = {@link #team()}, {@code organisationId} = {@link #organisationId()}; a new UUID as
 * {@code id}. The value is a JSON object whose field names are the record components' names,
 * instants as ISO-8601 strings, absent values as {@code null} (docs/asyncapi.yaml; golden files in
 * oauth-service's tests).
 */
public sealed interface MerchantConnectionEvent
    permits MerchantConnectionEvent.MerchantConnected,
        MerchantConnectionEvent.MerchantVerificationChanged,
        MerchantConnectionEvent.MerchantDisconnected {

  /** The topic every merchant connection fact is published on. */
  String TOPIC = Topics.MERCHANTS_CONNECTION;

  /** PayBridge's id of the merchant (a UUID), the record key. */
  String merchantId();

  /** The internal team that connected the merchant, the {@code tenant} header. */
  String team();

  /** The merchant's GoCardless organisation ({@code OR…}), the {@code organisationId} header. */
  String organisationId();

  /**
   * The wire event type: the record's simple name, never a class name with its package (ADR 0002).
   * Not a JSON field (no {@code get} prefix, not a record component).
   */
  default String eventType() {
    return getClass().getSimpleName();
  }

  /**
   * The outbox row that publishes this fact, with a new random event id.
   *
   * @param payload this event as JSON (the producing service serialises it)
   */
  default OutboxEvent toOutboxEvent(String payload) {
    return OutboxEvent.newEvent(TOPIC, merchantId(), eventType(), payload)
        .withTenant(team())
        .withOrganisationId(organisationId());
  }

  /**
   * A team's merchant granted PayBridge access to its GoCardless organisation.
   *
   * @param creditorId the organisation's creditor ({@code CR…})
   * @param verificationStatus GoCardless's {@code verification_status} of the creditor at
   *     connection ({@code successful}, {@code in_review}, {@code action_required}, or a value
   *     GoCardless adds)
   */
  record MerchantConnected(
      String merchantId,
      String team,
      String organisationId,
      String creditorId,
      String verificationStatus,
      Instant connectedAt)
      implements MerchantConnectionEvent {}

  /**
   * GoCardless changed the verification status of a connected merchant's creditor.
   *
   * @param verificationUrl while the status is {@code action_required}, where to send the merchant;
   *     {@code null} otherwise
   */
  record MerchantVerificationChanged(
      String merchantId,
      String team,
      String organisationId,
      String creditorId,
      String previousVerificationStatus,
      String verificationStatus,
      String verificationUrl,
      Instant changedAt)
      implements MerchantConnectionEvent {}

  /**
   * The connection ended.
   *
   * @param reason {@code revoked_by_merchant} (the merchant revoked the app at GoCardless) or
   *     {@code disconnected_by_team}
   */
  record MerchantDisconnected(
      String merchantId, String team, String organisationId, String reason, Instant disconnectedAt)
      implements MerchantConnectionEvent {}
}
