package io.paybridge.platform.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One step of an event's way through PayBridge, as an operator sees it ({@code GET
 * /operations/timeline}, docs/runbook.md).
 *
 * @param at when it happened
 * @param service the service that saw it
 * @param kind what happened: {@code delivery-received}, {@code delivery-rejected}, {@code
 *     inbox-stored}, {@code outbox-written}, {@code kafka-record}, {@code consumed}, {@code
 *     dead-lettered}, {@code quarantined}, {@code fact-published}, {@code notification-delivered},
 *     {@code notification-failed}, {@code replayed}
 * @param summary one line for humans
 * @param detail what the step is based on (ids, topic, partition, offset, error); never bodies,
 *     signatures or secrets. {@code eventId}, when present, names the event the step is about, so
 *     that the gateway can follow it into the services that consumed it.
 */
public record TimelineStep(
    Instant at, String service, String kind, String summary, Map<String, Object> detail) {

  public TimelineStep {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(kind, "kind");
    detail =
        detail == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(detail));
  }
}
