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
 * @param operationsWriteScope the documented scope of operator writes ({@code POST /operations/**}:
 *     replays across teams, dead-letter replays) (default {@code operations:write})
 * @param replayScope an older scope that still permits an operator's replay of deliveries ({@code
 *     POST /operations/deliveries/**}) besides {@code operationsWriteScope} (default {@code
 *     notifications:replay}), so tokens issued with it keep working
 */
@ConfigurationProperties("paybridge.notification.security")
public record SecurityProperties(
    @DefaultValue("team") String teamClaim,
    @DefaultValue("notifications:read") String readScope,
    @DefaultValue("notifications:write") String writeScope,
    @DefaultValue("operations:read") String operationsScope,
    @DefaultValue("operations:write") String operationsWriteScope,
    @DefaultValue("notifications:replay") String replayScope) {}
