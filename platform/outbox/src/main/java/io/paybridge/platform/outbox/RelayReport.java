package io.paybridge.platform.outbox;

/**
 * A service's relay as operators see it ({@code GET /operations/relay}).
 *
 * @param service the service
 * @param leader whether the answering instance is the service's relay leader
 * @param state {@code publishing}, {@code starting}, {@code failing} (Kafka does not acknowledge),
 *     a refusal code of {@link RelayStatus#reason()} ({@code slot_missing}, {@code
 *     record_too_large}, ...), {@code standby}, {@code stopped}, or {@code disabled} (the instance
 *     runs no relay)
 * @param lagMs how long events wait for Kafka, in milliseconds: the leader's own figure, or the
 *     leader's last report (read from the database) on another instance; {@code null} when unknown
 * @param backlog bytes of WAL the outbox's replication slot holds that the relay has not confirmed
 *     yet (checked in the background every {@code paybridge.outbox.health.interval}); {@code null}
 *     before the first check or when the database cannot be read
 */
public record RelayReport(String service, boolean leader, String state, Long lagMs, Long backlog) {}
