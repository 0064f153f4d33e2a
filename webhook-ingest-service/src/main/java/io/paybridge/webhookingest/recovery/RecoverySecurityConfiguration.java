package io.paybridge.webhookingest.recovery;

import io.paybridge.platform.web.Problems;
import io.paybridge.platform.web.security.BearerTokenProblems;
import io.paybridge.platform.web.security.ResourceServerChains;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /operations/recoveries/**} takes an operator's JWT of the company IdP
 * (platform/web-support's decoder: issuer, audience {@code webhook-ingest-service} or {@code
 * paybridge-api}, signature, expiry): scope {@code operations:write} to start a recovery, {@code
 * operations:read} to list and read runs. The service's other paths keep their own checks (the
 * webhook signature, the quarantine's operator tokens).
 */
@Configuration(proxyBeanMethods = false)
@RecoveryEnabled
class RecoverySecurityConfiguration {

  static final String READ_SCOPE = "operations:read";
  static final String WRITE_SCOPE = "operations:write";

  @Bean
  @Order(1)
  SecurityFilterChain recoveries(HttpSecurity http, ObjectMapper mapper) throws Exception {
    var unauthenticated =
        BearerTokenProblems.entryPoint(
            mapper, RecoveryProblem.UNAUTHENTICATED, RecoveryProblem.IDENTITY_PROVIDER_UNAVAILABLE);
    return ResourceServerChains.stateless(
            http.securityMatcher("/operations/recoveries", "/operations/recoveries/**"),
            unauthenticated,
            (request, response, e) ->
                Problems.write(
                    mapper,
                    RecoveryProblem.FORBIDDEN,
                    "The caller may not do this (scope missing)",
                    request,
                    response))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers(HttpMethod.GET, "/operations/recoveries/**")
                    .hasAuthority("SCOPE_" + READ_SCOPE)
                    .requestMatchers(HttpMethod.POST, "/operations/recoveries")
                    .hasAuthority("SCOPE_" + WRITE_SCOPE)
                    .anyRequest()
                    .denyAll())
        .build();
  }
}
