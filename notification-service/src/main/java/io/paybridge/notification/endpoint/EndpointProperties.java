package io.paybridge.notification.endpoint;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rules for teams' endpoints ({@code paybridge.notification.endpoints.*}).
 *
 * @param allowHttp whether plain {@code http://} URLs are accepted (default {@code false}: HTTPS
 *     only; the local profile and local-stack allow it for a receiver on the developer's machine)
 * @param rotationOverlap how long the previous signing secret keeps signing after a rotation when
 *     the request names no overlap (default 24h)
 * @param maxRotationOverlap the longest overlap a rotation may ask for (default 7d)
 */
@ConfigurationProperties("paybridge.notification.endpoints")
public record EndpointProperties(
    @DefaultValue("false") boolean allowHttp,
    @DefaultValue("24h") Duration rotationOverlap,
    @DefaultValue("7d") Duration maxRotationOverlap) {}
