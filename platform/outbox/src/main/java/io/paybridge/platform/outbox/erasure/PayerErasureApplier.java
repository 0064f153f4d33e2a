package io.paybridge.platform.outbox.erasure;

import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;

/**
 * A service's part of a payer's erasure: what it erases of its own data. Declaring one as a bean
 * makes the service a consumer of {@code payers.erasure} ({@link PayerErasureListener}), which
 * applies each request once and publishes the service's acknowledgement.
 */
public interface PayerErasureApplier {

  /**
   * The service's name in its acknowledgements ({@code PayerErasureApplied.service}); its
   * idempotent consumer is named {@code <service>.erasure}.
   */
  String service();

  /**
   * Erases the payer's personal data from the service's own records, in the idempotent consumer's
   * transaction (the acknowledgement is written to the outbox in the same transaction).
   *
   * @param eventId the request's event id (its kept outbox row, in the service that published it)
   * @return how many rows were changed, for the acknowledgement
   */
  int erase(PayerErasureRequested request, String eventId);
}
