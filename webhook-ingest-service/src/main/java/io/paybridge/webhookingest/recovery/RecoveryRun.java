package io.paybridge.webhookingest.recovery;

import java.time.Instant;

/**
 * One recovery, as operators see it ({@code GET /operations/recoveries}).
 *
 * @param trigger {@code schedule} or {@code operator}
 * @param requestedBy the subject of the operator's token that asked for it; {@code null} for the
 *     schedule
 * @param createdFrom events created at or after this were read ...
 * @param createdUntil ... up to (not including) this
 * @param status {@code running}, {@code succeeded}, {@code failed}, or {@code abandoned} (running,
 *     but not heard of for longer than {@code paybridge.recovery.lease}: its instance stopped)
 * @param eventsRead events the events API listed in the range
 * @param eventsRecovered events the inbox did not hold: published by this run
 * @param eventsAlreadyReceived events the inbox held (their webhook, or an earlier run, brought
 *     them): not published again
 * @param eventsQuarantined events that cannot be routed, quarantined as a webhook's are
 * @param error why it failed, when it did
 */
public record RecoveryRun(
    long id,
    String organisationId,
    String merchantId,
    String trigger,
    String requestedBy,
    Instant createdFrom,
    Instant createdUntil,
    String status,
    Instant startedAt,
    Instant finishedAt,
    int pages,
    int eventsRead,
    int eventsRecovered,
    int eventsAlreadyReceived,
    int eventsQuarantined,
    String error) {}
