package io.paybridge.billing.web;

import io.paybridge.platform.operations.OperationsAccess;
import io.paybridge.platform.web.Problems;
import io.paybridge.platform.web.security.BearerTokenProblems;
import io.paybridge.platform.web.security.ResourceServerChains;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * The service is an OAuth2 resource server: every API call carries a JWT of the configured issuer
 * for this service or the gateway (platform/web-support's decoder), with the team claim, and the
 * read or write scope of payments, checked here whatever the gateway checked before.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  static final String[] API = {
    "/analytics/**",
    "/billing-requests/**",
    "/billing-request-flows/**",
    "/mandates/**",
    "/payments/**",
    "/subscriptions/**",
    "/refunds/**",
    "/instalment-schedules/**",
    "/retry-policies/**",
    "/retry-decisions/**"
  };

  /** Operators' paths: data-protection requests about payers (io.paybridge.billing.erasure). */
  static final String[] OPERATIONS = {"/operations/payers/**", "/operations/erasures/**"};

  /** The management port: probes and Prometheus open (internal network only), the rest scoped. */
  @Bean
  @Order(1)
  SecurityFilterChain management(
      HttpSecurity http, SecurityProperties properties, ObjectMapper mapper) throws Exception {
    AuthenticationEntryPoint unauthenticated = unauthenticated(mapper);
    AccessDeniedHandler denied = denied(mapper);
    return ResourceServerChains.managementPort(
        http, properties.operationsScope(), unauthenticated, denied);
  }

  @Bean
  @Order(2)
  SecurityFilterChain api(HttpSecurity http, SecurityProperties properties, ObjectMapper mapper)
      throws Exception {
    AuthenticationEntryPoint unauthenticated = unauthenticated(mapper);
    AccessDeniedHandler denied = denied(mapper);
    return ResourceServerChains.stateless(http, unauthenticated, denied)
        .authorizeHttpRequests(
            auth ->
                OperationsAccess.rules(auth)
                    .requestMatchers(
                        "/actuator/**",
                        "/v3/api-docs/**",
                        "/swagger-ui/**",
                        "/swagger-ui.html",
                        "/error")
                    .permitAll()
                    .requestMatchers("/operations/payers/*/export")
                    .hasAuthority("SCOPE_" + properties.operationsWriteScope())
                    .requestMatchers(HttpMethod.GET, OPERATIONS)
                    .hasAuthority("SCOPE_" + properties.operationsScope())
                    .requestMatchers(OPERATIONS)
                    .hasAuthority("SCOPE_" + properties.operationsWriteScope())
                    .requestMatchers(HttpMethod.GET, API)
                    .hasAuthority("SCOPE_" + properties.readScope())
                    .requestMatchers(API)
                    .hasAuthority("SCOPE_" + properties.writeScope())
                    // The platform's operator reads (event timeline, relay).
                    .requestMatchers(HttpMethod.GET, "/operations/timeline", "/operations/relay")
                    .hasAuthority("SCOPE_" + properties.operationsScope())
                    .anyRequest()
                    .denyAll())
        .build();
  }

  private static AuthenticationEntryPoint unauthenticated(ObjectMapper mapper) {
    return BearerTokenProblems.entryPoint(
        mapper, ApiProblem.UNAUTHENTICATED, ApiProblem.IDENTITY_PROVIDER_UNAVAILABLE);
  }

  private static AccessDeniedHandler denied(ObjectMapper mapper) {
    return (request, response, e) ->
        Problems.write(
            mapper,
            ApiProblem.FORBIDDEN,
            "The caller may not use this endpoint (scope missing)",
            request,
            response);
  }
}
