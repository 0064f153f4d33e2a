package io.paybridge.platform.outbox;

import io.paybridge.platform.events.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a service's outbox and its relay ({@code paybridge.outbox.*}).
 *
 * @param serviceName the service's name; defaults to {@code spring.application.name}. Names the
 *     replication slot, the publication and the CloudEvents source.
 * @param relayEnabled whether this instance runs a relay (leader or standby); {@code false} for an
 *     instance that only writes to the outbox
 * @param deleteAfterInsert whether outbox rows are deleted in the transaction that inserted them
 *     (the relay reads inserts from the WAL). Off by default: rows are kept for {@code retention},
 *     so that a range can be published again after a lost replication slot ({@link
 *     OutboxRepublisher}); on, nothing can be re-published from the outbox
 * @param slotName the logical replication slot; defaults to {@code <service>_outbox}
 * @param publicationName the publication over the outbox table; defaults to {@code
 *     <service>_outbox}
 * @param source the CloudEvents {@code ce_source} of every record; defaults to {@code
 *     /paybridge/<service>}
 * @param leaderPollInterval how often a standby tries to become the leader, and the leader checks
 *     it still is; a standby takes over within about this long after the leader dies
 * @param heartbeatInterval Debezium heartbeats, so that the slot advances on a quiet outbox and the
 *     WAL does not grow
 * @param offsetFlushInterval how often the relay confirms its position to PostgreSQL, letting the
 *     slot free WAL (the position itself is committed to Kafka with every batch, see {@code
 *     offsetsTopic})
 * @param pollInterval how long the relay waits for new changes before polling again
 * @param maxBatchSize most changes handed to the publisher at once
 * @param retryBackoff wait before re-sending a batch that Kafka did not acknowledge
 * @param sendTimeout how long a batch may wait for Kafka's acknowledgements before its transaction
 *     is aborted and the batch retried; also bounds each blocking producer call ({@code
 *     max.block.ms})
 * @param consumedMessageRetention how long an idempotent consumer remembers an applied event id;
 *     keep it longer than the retention of the topics it consumes, or a redelivery older than this
 *     could apply twice
 * @param offsetsTopic the compacted topic where the relay commits its source position in the same
 *     transaction as each batch; defaults to {@code paybridge.outbox-offsets.<service>}
 * @param transactionalId the relay producer's {@code transactional.id}; defaults to {@code
 *     paybridge-outbox-<service>}. One per service: a new leader's producer fences the old one's
 * @param transactionTimeout the producer's {@code transaction.timeout.ms}: how long the broker
 *     keeps a transaction of a relay that died open (holding back {@code read_committed} consumers
 *     of its partitions) before aborting it, when no new leader fences it first; must exceed {@code
 *     sendTimeout} and stay within the broker's {@code transaction.max.timeout.ms}
 * @param retention how long outbox rows are kept after their insert, so that they can be
 *     re-published after an incident (a lost slot); the retention job deletes older rows hourly.
 *     Disk: about the size of the events written in that time (payload plus ~200 bytes a row)
 * @param retentionBatchSize rows the retention job deletes per statement (short transactions, no
 *     long lock on the table)
 * @param parkAfterAttempts how many times the relay sends a batch that Kafka refuses for good
 *     because of one of its records (too large, topic not authorised, missing or invalid) before it
 *     parks that record in {@code outbox_parked} and relays the rest; {@code 0} never parks (the
 *     relay then stays DOWN, retrying, until the cause is fixed)
 * @param deadConnectionTimeout how long PostgreSQL may take to notice that a relay's host vanished
 *     (TCP keepalives, {@code tcp_user_timeout} and {@code wal_sender_timeout} of the relay's
 *     sessions), after which its leader lock and slot are free for a standby; the bound of a
 *     takeover is about this plus {@code leaderPollInterval}
 * @param backlogReportInterval how often the relay leader reports how long events wait for Kafka,
 *     and every instance reads it ({@link RelayBacklog}); a report older than ten intervals is
 *     ignored
 * @param recordPlacements whether the relay records each relayed record's Kafka partition and
 *     offset ({@code outbox_placement}, an unlogged table; the operators' event timeline shows
 *     them)
 */
@ConfigurationProperties("paybridge.outbox")
public record OutboxProperties(
    String serviceName,
    @DefaultValue("true") boolean relayEnabled,
    @DefaultValue("false") boolean deleteAfterInsert,
    String slotName,
    String publicationName,
    String source,
    @DefaultValue("2s") Duration leaderPollInterval,
    @DefaultValue("10s") Duration heartbeatInterval,
    @DefaultValue("1s") Duration offsetFlushInterval,
    @DefaultValue("50ms") Duration pollInterval,
    @DefaultValue("2048") int maxBatchSize,
    @DefaultValue("1s") Duration retryBackoff,
    @DefaultValue("30s") Duration sendTimeout,
    @DefaultValue("30d") Duration consumedMessageRetention,
    String offsetsTopic,
    String transactionalId,
    @DefaultValue("60s") Duration transactionTimeout,
    @DefaultValue("7d") Duration retention,
    @DefaultValue("5000") int retentionBatchSize,
    @DefaultValue("5") int parkAfterAttempts,
    @DefaultValue("30s") Duration deadConnectionTimeout,
    @DefaultValue("200ms") Duration backlogReportInterval,
    @DefaultValue("true") boolean recordPlacements) {

  /** These settings with every derived default filled in from {@code applicationName}. */
  public OutboxProperties resolve(String applicationName) {
    String service = serviceName != null ? serviceName : applicationName;
    if (service == null || service.isBlank()) {
      throw new IllegalStateException(
          "The outbox needs a service name: set spring.application.name or paybridge.outbox.service-name");
    }
    String identifier = service.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_outbox";
    return new OutboxProperties(
        service,
        relayEnabled,
        deleteAfterInsert,
        slotName != null ? slotName : identifier,
        publicationName != null ? publicationName : identifier,
        source != null ? source : "/paybridge/" + service,
        leaderPollInterval,
        heartbeatInterval,
        offsetFlushInterval,
        pollInterval,
        maxBatchSize,
        retryBackoff,
        sendTimeout,
        consumedMessageRetention,
        offsetsTopic != null
            ? offsetsTopic
            : Topics.outboxOffsets(service.toLowerCase().replaceAll("[^a-z0-9]+", "-")),
        transactionalId != null ? transactionalId : "paybridge-outbox-" + service,
        transactionTimeout,
        retention,
        retentionBatchSize,
        parkAfterAttempts,
        deadConnectionTimeout,
        backlogReportInterval,
        recordPlacements);
  }
}
