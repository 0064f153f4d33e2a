package io.paybridge.webhookingest.recovery;

import java.time.Instant;

/**
 * {@code POST /operations/recoveries}: read again the events of one organisation created in {@code
 * [from, to)}. Refused when a value is missing or the range is empty (400 {@code invalid-request},
 * saying which).
 *
 * @param organisationId the GoCardless organisation ({@code OR…}) of a connected merchant
 */
record RecoveryRequest(String organisationId, Instant from, Instant to) {

  RecoveryRequest {
    if (organisationId == null || organisationId.isBlank()) {
      throw new IllegalArgumentException("organisationId is required");
    }
    if (from == null || to == null) {
      throw new IllegalArgumentException("from and to are required (ISO-8601 instants)");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
  }
}
