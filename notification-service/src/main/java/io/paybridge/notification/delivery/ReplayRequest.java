package io.paybridge.notification.delivery;

import java.time.Instant;

/**
 * A replay of the deliveries created in [{@code from}, {@code to}) with {@code status} ({@code
 * dead} by default, or {@code succeeded}), of one endpoint when {@code endpointId} is given; an
 * operator's may also name a {@code team}.
 */
public record ReplayRequest(
    Instant from, Instant to, String status, String endpointId, String team) {}
