package io.paybridge.webhookingest.webhook;

/**
 * Why correctly signed content was quarantined instead of published. The value is the {@code
 * reason} column of {@code quarantined_event} and the {@code reason} tag of {@code
 * paybridge_webhooks_events_quarantined_total}: a short, closed list, so the metric stays small.
 * Only what makes an event impossible to route or to deduplicate is here; long links, unknown
 * resource types or actions and unreadable timestamps are published as they are.
 */
enum QuarantineReason {
  /** The whole body: not UTF-8, not JSON, not an object, no {@code events} array. */
  MALFORMED_BODY,
  /** An element of {@code events} that is not a JSON object. */
  NOT_AN_OBJECT,
  /** No {@code resource_type} string: no topic to publish to. */
  MISSING_RESOURCE_TYPE,
  /** No {@code action} string: no event type. */
  MISSING_ACTION,
  /** An {@code id} that is neither a string nor {@code null}. */
  INVALID_ID,
  /**
   * An {@code id} longer than the 64 characters of the outbox id and consumers' dedup keys.
   * GoCardless's event ids are {@code EV} + 12 characters, so such an id is not GoCardless's.
   */
  ID_TOO_LONG,
  /** A NUL character in a value PostgreSQL would have to store as text (id, type, action, link). */
  NUL_CHARACTER;

  /** The column value and metric tag, e.g. {@code missing_action}. */
  String tag() {
    return name().toLowerCase();
  }
}
