package io.paybridge.platform.outbox;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service's Kafka listeners handle failures ({@code paybridge.consumer.*}); used by the
 * auto-configured {@link ConsumerErrorHandler} and by {@link IdempotentConsumer}.
 *
 * @param transientInitialBackoff first wait before retrying a record that failed transiently
 *     (database, network, GoCardless 429/5xx, Kafka); the partition is paused meanwhile
 * @param transientBackoffMultiplier growth of that wait after each further transient failure
 * @param transientMaxBackoff longest wait between two attempts of a transiently failing record;
 *     such a record is retried for as long as the failure lasts, never dead-lettered
 * @param maxRetryAfter longest wait honoured from a {@link TransientFailure#retryAfter()} hint (a
 *     longer hint is cut to this)
 * @param retries how many times a record failing with any other exception (typically a bug) is
 *     retried before it goes to the dead-letter topic
 * @param retryInitialBackoff first wait before such a retry
 * @param retryBackoffMultiplier growth of that wait after each retry
 * @param retryMaxBackoff longest wait between such retries
 * @param stuckAlertAfter how long a record may keep failing before the consumer logs a warning and
 *     its {@code consumers} health turns DOWN
 * @param transactionTimeout longest transaction of {@link IdempotentConsumer#apply}: a database
 *     that hangs (locks, a fail-over that leaves connections open) fails the attempt as transient
 *     instead of holding the consumer thread past {@code max.poll.interval.ms}
 * @param pollInOneTransaction whether {@link IdempotentConsumer#applyBatch} applies a poll's
 *     records in one transaction (one commit per poll); {@code false} applies them one by one, one
 *     transaction each, as a record listener does (a benchmark's baseline, or a way out if a
 *     service's batch handler misbehaves)
 * @param closeTimeout longest a listener's consumer waits, as it closes, for its requests to the
 *     group coordinator ({@link BoundedConsumerClose}; Kafka's own default is 30 s)
 * @param instanceId this instance's name, unique among the service's running instances and kept
 *     across its restarts (a Kubernetes pod's name, which a restarted container keeps); unset by
 *     default. When set, each listener joins its group as a static member ({@code
 *     group.instance.id} {@code <instance-id>-<listener id>}, {@link StaticMembership}), so that an
 *     instance restarted after a crash takes its partitions back at once instead of after its dead
 *     predecessor's session. Two running instances with the same name fence each other's listeners.
 */
@ConfigurationProperties("paybridge.consumer")
public record ConsumerProperties(
    @DefaultValue("500ms") Duration transientInitialBackoff,
    @DefaultValue("2") double transientBackoffMultiplier,
    @DefaultValue("30s") Duration transientMaxBackoff,
    @DefaultValue("5m") Duration maxRetryAfter,
    @DefaultValue("3") int retries,
    @DefaultValue("200ms") Duration retryInitialBackoff,
    @DefaultValue("3") double retryBackoffMultiplier,
    @DefaultValue("2s") Duration retryMaxBackoff,
    @DefaultValue("5m") Duration stuckAlertAfter,
    @DefaultValue("60s") Duration transactionTimeout,
    @DefaultValue("true") boolean pollInOneTransaction,
    @DefaultValue("5s") Duration closeTimeout,
    @Nullable String instanceId) {}
