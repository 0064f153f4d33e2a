package io.paybridge.notification.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the service ({@code paybridge.notification.security.*}). The issuer, its keys and
 * the accepted audiences are platform/web-support's {@code paybridge.security.jwt.*}.
 *
 * @param teamClaim the JWT claim that names the caller's team; a team sees only its own endpoints
 *     and deliveries (default {@code team})
 * @param readScope the scope of team reads under {@code /notifications/**} (default {@code
 *     notifications:read})
 * @param writeScope the scope of team changes under {@code /notifications/**}: endpoints, secret
 *     rotation, test pings, replays (default {@code notifications:write})
 * @param operationsScope the scope of operator reads ({@code GET /operations/**}) and of the
 *     management port's details (default {@code operations:read})
 * @param replayScope the scope of an operator's replay across teams ({@code POST
 *     /operations/deliveries/replay}) (default {@code notifications:replay})
 */
@ConfigurationProperties("paybridge.notification.security")
public record SecurityProperties(
    @DefaultValue("team") String teamClaim,
    @DefaultValue("notifications:read") String readScope,
    @DefaultValue("notifications:write") String writeScope,
    @DefaultValue("operations:read") String operationsScope,
    @DefaultValue("notifications:replay") String replayScope) {}
