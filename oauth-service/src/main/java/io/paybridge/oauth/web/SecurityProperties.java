package io.paybridge.oauth.web;

import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the service ({@code paybridge.oauth.security.*}). The issuer, its keys, the accepted
 * audiences and algorithms are platform/web-support's {@code paybridge.security.jwt.*}.
 *
 * @param teamClaim the JWT claim that names the caller's team; a team sees only its own merchants
 * @param tokenScope the scope a service identity needs to obtain merchants' access tokens from the
 *     internal endpoint (billing-service and other services that call GoCardless for a merchant)
 * @param tokenClients the service clients that may use the internal token endpoint at all, scope or
 *     not (default {@code billing-service}, which calls GoCardless for teams, and {@code
 *     webhook-ingest-service}, whose recovery reads GoCardless's events API); empty: none
 * @param clientIdClaims the claims that name a service's client, first present wins (default {@code
 *     client_id} of RFC 9068, then {@code azp})
 * @param keyManagementScope the scope an operator's token needs for {@code /operations/**}: the
 *     token encryption key inventory and the activation of a key
 * @param operationsScope the scope an operator's token needs for the management port's full health,
 *     {@code /actuator/metrics} and {@code /actuator/info} (default {@code operations:read}); the
 *     probes and {@code /actuator/prometheus} need none (the port is the internal network's)
 */
@ConfigurationProperties("paybridge.oauth.security")
public record SecurityProperties(
    @DefaultValue("team") String teamClaim,
    @DefaultValue("merchant-tokens:read") String tokenScope,
    @DefaultValue({"billing-service", "webhook-ingest-service"}) Set<String> tokenClients,
    @DefaultValue({"client_id", "azp"}) List<String> clientIdClaims,
    @DefaultValue("merchant-keys:manage") String keyManagementScope,
    @DefaultValue("operations:read") String operationsScope) {}
