package io.paybridge.billing.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call what ({@code paybridge.billing.security.*}).
 *
 * @param teamClaim the JWT claim naming the caller's team (default {@code team})
 * @param readScope the scope every read needs (default {@code payments:read})
 * @param writeScope the scope every create, update and action needs (default {@code
 *     payments:write})
 * @param operationsScope the scope of the management port's details and of operator reads under
 *     {@code /operations/} (default {@code operations:read})
 * @param operationsWriteScope the scope of operator writes under {@code /operations/} (erasure
 *     requests) and of access exports, which show personal data (default {@code operations:write})
 */
@ConfigurationProperties("paybridge.billing.security")
public record SecurityProperties(
    @DefaultValue("team") String teamClaim,
    @DefaultValue("payments:read") String readScope,
    @DefaultValue("payments:write") String writeScope,
    @DefaultValue("operations:read") String operationsScope,
    @DefaultValue("operations:write") String operationsWriteScope) {}
