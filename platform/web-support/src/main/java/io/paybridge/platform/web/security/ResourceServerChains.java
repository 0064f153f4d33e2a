package io.paybridge.platform.web.security;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The filter-chain settings every servlet service shares as a resource server: stateless, no CSRF
 * (bearer tokens, no cookies), the JWT set-up of {@link JwtSecurityAutoConfiguration}, and both
 * failures answered with the service's own problem types. Each service adds its routes' scopes.
 */
public final class ResourceServerChains {

  private ResourceServerChains() {}

  /**
   * {@code http} as a stateless JWT resource server whose 401 and 403 are {@code unauthenticated}
   * and {@code denied}; the caller adds its authorisation rules and builds the chain.
   */
  public static HttpSecurity stateless(
      HttpSecurity http, AuthenticationEntryPoint unauthenticated, AccessDeniedHandler denied)
      throws Exception {
    return http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .oauth2ResourceServer(
            rs ->
                rs.jwt(jwt -> {})
                    .authenticationEntryPoint(unauthenticated)
                    .accessDeniedHandler(denied))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied));
  }

  /**
   * The management port's chain ({@link EndpointRequest} matches its requests only): probes and
   * Prometheus open (the port is for the internal network, see {@code ManagementNetworkFilter}),
   * every other actuator endpoint for a token with {@code operationsScope}.
   */
  public static SecurityFilterChain managementPort(
      HttpSecurity http,
      String operationsScope,
      AuthenticationEntryPoint unauthenticated,
      AccessDeniedHandler denied)
      throws Exception {
    return stateless(http.securityMatcher(EndpointRequest.toAnyEndpoint()), unauthenticated, denied)
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers(
                        "/actuator/health/liveness",
                        "/actuator/health/readiness",
                        "/actuator/prometheus")
                    .permitAll()
                    .anyRequest()
                    .hasAuthority("SCOPE_" + operationsScope))
        .build();
  }
}
