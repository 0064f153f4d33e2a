package io.paybridge.billing.events;

import java.time.Instant;
import java.util.Map;

/**
 * What the projections read of a GoCardless event (docs/gocardless/API.md §5.2), parsed leniently:
 * any action or detail value is kept as sent.
 *
 * @param createdAt GoCardless's time of the event: the order the projections follow
 */
record GoCardlessEvent(
    String id,
    String resourceType,
    String action,
    Instant createdAt,
    Map<String, String> links,
    Map<String, String> details,
    Boolean willAttemptRetry) {

  String link(String name) {
    return links.get(name);
  }

  String detail(String name) {
    return details.get(name);
  }
}
