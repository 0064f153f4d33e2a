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
 * @param reason why the leader does not relay, as a code, or {@code null}: {@code slot_missing},
 *     {@code slot_ahead_of_position}, {@code slot_invalidated} (it refuses to stream its slot until
 *     an operator acknowledges; runbook), or {@code record_too_large}, {@code
 *     topic_not_authorised}, {@code topic_missing}, {@code invalid_topic} (Kafka refuses a record
 *     of the pending batch; it is parked after {@code park-after-attempts})
 * @param reasonDetail what the reason is based on, for operators, or {@code null}
 * @param parked records this instance parked in {@code outbox_parked} since it started
 */
public record RelayStatus(
    Role role,
    boolean streaming,
    long relayed,
    Instant lastRelayedAt,
    Duration lag,
    Instant failingSince,
    String lastError,
    Instant fencedAt,
    String reason,
    String reasonDetail,
    long parked) {

  /** The relay roles. */
  public enum Role {
    LEADER,
    STANDBY,
    STOPPED
  }
}
