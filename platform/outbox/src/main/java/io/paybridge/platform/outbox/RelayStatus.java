package io.paybridge.platform.outbox;

import java.time.Duration;
import java.time.Instant;

/**
 * What a relay instance is doing, for health and operators.
 *
 * @param role leader (streaming the outbox), standby (waiting for the leader lock) or stopped
 * @param streaming whether the leader's Debezium engine is running
 * @param relayed records relayed (committed to Kafka) by this instance since it started
 * @param lastRelayedAt when the last batch was acknowledged, or {@code null}
 * @param lag how far behind the outbox the relay is: the age of the oldest record of the batch
 *     waiting for Kafka, else insert-to-acknowledgement of the last batch's oldest record
 * @param failingSince since when the relay has failed to reach Kafka or to commit the pending
 *     batch, or {@code null}
 * @param lastError the last error seen, or {@code null}
 * @param fencedAt when this instance's producer was last fenced by a newer leader's (same {@code
 *     transactional.id}) and its relay stopped, or {@code null}
 */
public record RelayStatus(
    Role role,
    boolean streaming,
    long relayed,
    Instant lastRelayedAt,
    Duration lag,
    Instant failingSince,
    String lastError,
    Instant fencedAt) {

  /** The relay roles. */
  public enum Role {
    LEADER,
    STANDBY,
    STOPPED
  }
}
