package io.paybridge.platform.events.billing;

import io.paybridge.platform.events.Topics;
import java.time.Instant;

/**
 * Facts of a mandate, on {@code billing.mandate}. {@code cause}, {@code reasonCode} and {@code
 * description} are GoCardless's event details as sent ({@code null} when absent).
 */
public sealed interface MandateFact extends BillingFact
    permits MandateFact.MandateActive,
        MandateFact.MandateCancelled,
        MandateFact.MandateExpired,
        MandateFact.MandateFailed {

  String mandateId();

  @Override
  default String resourceId() {
    return mandateId();
  }

  @Override
  default String topic() {
    return Topics.BILLING_MANDATE;
  }

  /** The mandate can be charged (GoCardless's {@code active}, or {@code reinstated}). */
  record MandateActive(
      String merchantId,
      String team,
      String organisationId,
      String mandateId,
      Instant occurredAt,
      String gocardlessEventId)
      implements MandateFact {}

  record MandateCancelled(
      String merchantId,
      String team,
      String organisationId,
      String mandateId,
      String cause,
      String reasonCode,
      String description,
      Instant occurredAt,
      String gocardlessEventId)
      implements MandateFact {}

  record MandateExpired(
      String merchantId,
      String team,
      String organisationId,
      String mandateId,
      String cause,
      String reasonCode,
      String description,
      Instant occurredAt,
      String gocardlessEventId)
      implements MandateFact {}

  record MandateFailed(
      String merchantId,
      String team,
      String organisationId,
      String mandateId,
      String cause,
      String reasonCode,
      String description,
      Instant occurredAt,
      String gocardlessEventId)
      implements MandateFact {}
}
