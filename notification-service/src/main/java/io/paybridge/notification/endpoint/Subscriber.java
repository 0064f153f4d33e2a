package io.paybridge.notification.endpoint;

/** An enabled endpoint of a team and what it wants, for matching facts. */
public record Subscriber(String endpointId, EndpointKind kind, EventTypeFilter filter) {}
