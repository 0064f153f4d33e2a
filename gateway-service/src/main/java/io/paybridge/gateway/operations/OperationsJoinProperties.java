package io.paybridge.gateway.operations;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator endpoints the gateway joins across services ({@code
 * paybridge.gateway.operations.*}). Each service is called at its {@code
 * paybridge.gateway.upstreams} URL with the caller's token.
 *
 * @param deadLetterServices services with dead letters ({@code GET /operations/dead-letters},
 *     {@code POST /operations/dead-letters/replays})
 * @param auditServices services with an audit log ({@code GET /operations/audit})
 * @param timeout longest wait for one service; one that does not answer in time, or answers an
 *     error, is listed in {@code unavailable} and the others are answered
 */
@ConfigurationProperties("paybridge.gateway.operations")
public record OperationsJoinProperties(
    @DefaultValue({"oauth-service", "billing-service", "notification-service"})
        List<String> deadLetterServices,
    @DefaultValue({"oauth-service", "billing-service", "notification-service"})
        List<String> auditServices,
    @DefaultValue("5s") Duration timeout) {}
