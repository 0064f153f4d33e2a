package io.paybridge.platform.outbox;

import java.time.Duration;
import java.time.Instant;

/**
 * What a relay instance is doing, for health and operators.
 *
 * @param role leader (streaming the outbox), standby (waiting for the leader lock) or stopped
 * @param streaming whether the leader's Debezium engine is running
 * @param relayed records relayed (acknowledged by Kafka) by this instance since it started
 * @param lastRelayedAt when the last batch was acknowledged, or {@code null}
 * @param lastLag outbox insert to Kafka acknowledgement, for the oldest record of the last batch
 * @param failingSince since when Kafka has not acknowledged the pending batch, or {@code null}
 * @param lastError the last error seen, or {@code null}
 */
public record RelayStatus(
    Role role,
    boolean streaming,
    long relayed,
    Instant lastRelayedAt,
    Duration lastLag,
    Instant failingSince,
    String lastError) {

  /** The relay roles. */
  public enum Role {
    LEADER,
    STANDBY,
    STOPPED
  }
}
