package io.paybridge.notification.endpoint;

/**
 * A rotation of an endpoint's signing secret; {@code overlapSeconds}: how long the previous secret
 * keeps signing (default {@code paybridge.notification.endpoints.rotation-overlap}; 0 ends it at
 * once).
 */
public record RotationRequest(Long overlapSeconds) {}
