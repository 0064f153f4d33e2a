package io.paybridge.webhookingest;

import io.paybridge.webhookingest.webhook.GoCardlessWebhookController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;

/**
 * Everything but the recovery operator API ({@code recovery.RecoverySecurityConfiguration}) is left
 * to the checks the service makes itself, as before Spring Security was on the class path: the
 * webhook's signature, the quarantine's operator tokens, the management port's network check.
 * Without this chain Spring Boot would ask for a password on every path.
 *
 * <p>GoCardless's webhooks pass no Spring Security filter at all: their signature is their only
 * credential, checked by the controller, and at thousands of deliveries a second the chain's
 * filters (and their observations) were a measurable part of the service's CPU
 * (docs/benchmarks.md).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  SecurityFilterChain ownChecks(HttpSecurity http) throws Exception {
    return http.securityMatcher(
            new NegatedRequestMatcher(
                PathPatternRequestMatcher.withDefaults()
                    .matcher(HttpMethod.POST, GoCardlessWebhookController.PATH)))
        .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .headers(headers -> headers.disable())
        .build();
  }
}
