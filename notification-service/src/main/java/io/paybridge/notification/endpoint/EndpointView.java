package io.paybridge.notification.endpoint;

import java.time.Instant;
import java.util.List;

/**
 * An endpoint as its team sees it. Never carries a signing secret: the secret is shown once, in
 * {@link CreatedEndpoint} and {@link RotatedSecret}.
 */
public record EndpointView(
    String id,
    String kind,
    String url,
    String email,
    List<String> eventTypes,
    String description,
    boolean enabled,
    String disabledReason,
    Instant disabledAt,
    Instant failingSince,
    Instant createdAt) {}
