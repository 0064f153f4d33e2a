package io.paybridge.notification.endpoint;

import java.util.List;

/**
 * A team's new endpoint: exactly one of {@code url} (a webhook) and {@code email}, the facts it
 * wants ({@link EventTypeFilter}) and an optional description (≤ 200 characters).
 */
public record EndpointRequest(
    String url, String email, List<String> eventTypes, String description) {}
