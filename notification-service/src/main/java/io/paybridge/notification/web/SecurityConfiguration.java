package io.paybridge.notification.web;

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
 * The service is an OAuth2 resource server: every API call carries a JWT of the configured issuer,
 * checked by platform/web-support's decoder. Scopes are checked here per route (defence in depth
 * behind the gateway); the team claim scopes every read and change to the caller's own endpoints.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  /** The management port: probes and Prometheus open, the rest for an operator's token. */
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
                    .requestMatchers(HttpMethod.GET, "/notifications/**")
                    .hasAuthority("SCOPE_" + properties.readScope())
                    .requestMatchers("/notifications/**")
                    .hasAuthority("SCOPE_" + properties.writeScope())
                    .requestMatchers(HttpMethod.GET, "/operations/**")
                    .hasAuthority("SCOPE_" + properties.operationsScope())
                    .requestMatchers("/operations/deliveries/**")
                    .hasAnyAuthority(
                        "SCOPE_" + properties.operationsWriteScope(),
                        "SCOPE_" + properties.replayScope())
                    .requestMatchers("/operations/**")
                    .hasAuthority("SCOPE_" + properties.operationsWriteScope())
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
