package io.paybridge.platform.events.billing;

import io.paybridge.platform.events.Topics;
import java.time.Instant;

/**
 * Facts of an instalment schedule, on {@code billing.instalment-schedule} (docs/gocardless/API.md
 * §4.6, §5.3). {@code cause}, {@code reasonCode} and {@code description} are GoCardless's event
 * details as sent ({@code null} when absent).
 */
public sealed interface InstalmentScheduleFact extends BillingFact
    permits InstalmentScheduleFact.InstalmentScheduleCreated,
        InstalmentScheduleFact.InstalmentScheduleCreationFailed,
        InstalmentScheduleFact.InstalmentScheduleCompleted,
        InstalmentScheduleFact.InstalmentScheduleErrored,
        InstalmentScheduleFact.InstalmentScheduleCancelled {

  String instalmentScheduleId();

  /** The mandate the instalments are collected on. */
  String mandateId();

  @Override
  default String resourceId() {
    return instalmentScheduleId();
  }

  @Override
  default String topic() {
    return Topics.BILLING_INSTALMENT_SCHEDULE;
  }

  /**
   * The schedule was created and its payments are being made ({@code created}).
   *
   * @param totalAmount the sum of its instalments, in minor units
   */
  record InstalmentScheduleCreated(
      String merchantId,
      String team,
      String organisationId,
      String instalmentScheduleId,
      String mandateId,
      long totalAmount,
      String currency,
      Instant occurredAt,
      String gocardlessEventId)
      implements InstalmentScheduleFact {}

  /**
   * GoCardless could not create the schedule's payments ({@code creation_failed}); the schedule's
   * {@code payment_errors} say which instalments and why. Nothing will be collected.
   */
  record InstalmentScheduleCreationFailed(
      String merchantId,
      String team,
      String organisationId,
      String instalmentScheduleId,
      String mandateId,
      long totalAmount,
      String currency,
      String cause,
      String reasonCode,
      String description,
      Instant occurredAt,
      String gocardlessEventId)
      implements InstalmentScheduleFact {}

  /** Every instalment was collected ({@code completed}). */
  record InstalmentScheduleCompleted(
      String merchantId,
      String team,
      String organisationId,
      String instalmentScheduleId,
      String mandateId,
      Instant occurredAt,
      String gocardlessEventId)
      implements InstalmentScheduleFact {}

  /** One of its payments failed ({@code errored}). */
  record InstalmentScheduleErrored(
      String merchantId,
      String team,
      String organisationId,
      String instalmentScheduleId,
      String mandateId,
      String cause,
      String reasonCode,
      String description,
      Instant occurredAt,
      String gocardlessEventId)
      implements InstalmentScheduleFact {}

  /**
   * The schedule was cancelled, through the API or because its mandate ended; its payments not yet
   * submitted are cancelled too.
   */
  record InstalmentScheduleCancelled(
      String merchantId,
      String team,
      String organisationId,
      String instalmentScheduleId,
      String mandateId,
      String cause,
      String reasonCode,
      String description,
      Instant occurredAt,
      String gocardlessEventId)
      implements InstalmentScheduleFact {}
}
