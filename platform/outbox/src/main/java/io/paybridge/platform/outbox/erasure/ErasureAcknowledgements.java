package io.paybridge.platform.outbox.erasure;

import java.time.Instant;
import java.util.UUID;

/**
 * Where the service that tracks erasure requests records each service's acknowledgement ({@code
 * PayerErasureApplied}). Without such a bean, acknowledgements on {@code payers.erasure} change
 * nothing in the service.
 */
public interface ErasureAcknowledgements {

  /** Records one service's acknowledgement, in the idempotent consumer's transaction. */
  void acknowledge(UUID requestId, String service, int rowsChanged, Instant appliedAt);
}
