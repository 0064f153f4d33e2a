package io.paybridge.notification.delivery;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A platform fact as this service reads it, whatever its topic: its id ({@code id} header), topic,
 * type ({@code eventType} header), owning team ({@code tenant} header), time, and data (the record
 * value, a JSON object, kept as its bytes for the webhook body).
 */
record Fact(
    String id,
    String topic,
    String type,
    String team,
    Instant time,
    String rawData,
    JsonNode data) {}
