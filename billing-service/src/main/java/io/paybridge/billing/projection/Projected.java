package io.paybridge.billing.projection;

import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/**
 * One projected resource: its owner, its status, and the API's view of it (camelCase JSON).
 *
 * @param lastEventAt GoCardless's time of the event that last set the status (or of the event that
 *     made the service fetch the resource); an older event never changes the status
 */
public record Projected(
    Kind kind,
    String id,
    String merchantId,
    String team,
    String organisationId,
    String status,
    ObjectNode view,
    Instant createdAt,
    Instant lastEventAt) {}
