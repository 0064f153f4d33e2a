package io.paybridge.oauth.merchant;

import java.time.Instant;

/**
 * What this service uses of a consumed GoCardless event.
 *
 * @param id the id it is deduplicated by ({@code EV...}, or webhook-ingest's synthetic id)
 * @param createdAt when GoCardless created it; null when the event carries no readable time
 */
record GoCardlessEvent(
    String id, String resourceType, String action, String organisationId, Instant createdAt) {}
