package io.paybridge.notification.endpoint;

/**
 * The answer to creating an endpoint: the endpoint and, for a webhook, its signing secret ({@code
 * whsec_} + Base64), shown this once.
 */
public record CreatedEndpoint(EndpointView endpoint, String secret) {}
