package io.paybridge.platform.events.gocardless;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of a GoCardless event that decide its Kafka record, as the event's JSON carries them.
 * This library reads no JSON: the caller extracts them (webhook-ingest-service from the slice of
 * the signed body, a test stand-in from its tree).
 *
 * @param id the {@code id} GoCardless sent; {@code null} (GoCardless sends {@code "id": null} for
 *     {@code organisations.disconnected}) or blank means the event gets a synthetic id
 * @param resourceType {@code resource_type}, e.g. {@code payments}; required
 * @param action {@code action}, e.g. {@code confirmed}; required
 * @param createdAt {@code created_at} exactly as sent (not parsed: the synthetic id hashes the
 *     text), or {@code null} when absent or not a string
 * @param links the string values of {@code links}; other values are left out by the caller. Kept
 *     sorted by key, the order the synthetic id hashes them in
 */
public record GoCardlessEventFields(
    String id, String resourceType, String action, String createdAt, Map<String, String> links) {

  public GoCardlessEventFields {
    if (resourceType == null || resourceType.isBlank()) {
      throw new IllegalArgumentException("A GoCardless event needs a resource_type");
    }
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("A GoCardless event needs an action");
    }
    links = Collections.unmodifiableSortedMap(new TreeMap<>(links == null ? Map.of() : links));
  }
}
