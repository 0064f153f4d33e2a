package io.paybridge.oauth.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the service ({@code paybridge.oauth.security.*}). The issuer, its keys and the
 * accepted audiences are Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.*}.
 *
 * @param teamClaim the JWT claim that names the caller's team; a team sees only its own merchants
 * @param tokenScope the scope a service identity needs to obtain merchants' access tokens from the
 *     internal endpoint (billing-service and other services that call GoCardless for a merchant)
 * @param keyManagementScope the scope an operator's token needs for {@code /operations/**}: the
 *     token encryption key inventory and the activation of a key
 */
@ConfigurationProperties("paybridge.oauth.security")
public record SecurityProperties(
    @DefaultValue("team") String teamClaim,
    @DefaultValue("merchant-tokens:read") String tokenScope,
    @DefaultValue("merchant-keys:manage") String keyManagementScope) {}
