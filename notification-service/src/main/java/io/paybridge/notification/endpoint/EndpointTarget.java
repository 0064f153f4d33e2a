package io.paybridge.notification.endpoint;

import java.time.Instant;

/** Where a delivery goes, as the delivery worker reads it at each attempt. */
public record EndpointTarget(
    String id,
    String team,
    EndpointKind kind,
    String url,
    String email,
    boolean enabled,
    Instant failingSince) {}
