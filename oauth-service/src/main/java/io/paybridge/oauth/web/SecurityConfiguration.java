package io.paybridge.oauth.web;

import io.paybridge.platform.operations.OperationsAccess;
import io.paybridge.platform.web.Problems;
import io.paybridge.platform.web.security.BearerTokenProblems;
import io.paybridge.platform.web.security.ClientAllowList;
import io.paybridge.platform.web.security.ResourceServerChains;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * The service is an OAuth2 resource server: every API call carries a JWT of the configured issuer,
 * checked by platform/web-support's decoder (issuer, audience, asymmetric signature, expiry). The
 * callback is public (the merchant's browser reaches it); its {@code state} is its credential.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  /**
   * The management port (actuator): the Kubernetes probes open (status only), Prometheus open (the
   * port is reachable from the internal network only, and platform/web-support's network check
   * refuses other clients before this chain runs), everything else for an operator's token with the
   * operations scope. {@link EndpointRequest} matches the management port's requests only.
   */
  @Bean
  @Order(1)
  SecurityFilterChain management(
      HttpSecurity http, SecurityProperties properties, ObjectMapper mapper) throws Exception {
    AuthenticationEntryPoint unauthenticated =
        BearerTokenProblems.entryPoint(
            mapper, ApiProblem.UNAUTHENTICATED, ApiProblem.IDENTITY_PROVIDER_UNAVAILABLE);
    AccessDeniedHandler denied =
        (request, response, e) ->
            Problems.write(
                mapper,
                ApiProblem.FORBIDDEN,
                "The caller may not use this endpoint",
                request,
                response);
    return ResourceServerChains.managementPort(
        http, properties.operationsScope(), unauthenticated, denied);
  }

  @Bean
  @Order(2)
  SecurityFilterChain api(
      HttpSecurity http,
      SecurityProperties properties,
      ObjectMapper mapper,
      InternalAccessDeniedListener denials)
      throws Exception {
    AuthenticationEntryPoint unauthenticated =
        BearerTokenProblems.entryPoint(
            mapper, ApiProblem.UNAUTHENTICATED, ApiProblem.IDENTITY_PROVIDER_UNAVAILABLE);
    AccessDeniedHandler denied =
        (request, response, e) -> {
          denials.denied(request);
          Problems.write(
              mapper,
              ApiProblem.FORBIDDEN,
              "The caller may not use this endpoint",
              request,
              response);
        };
    return http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth ->
                OperationsAccess.rules(auth)
                    .requestMatchers(
                        "/oauth/callback",
                        "/oauth/complete",
                        // Nothing of actuator is mapped on this port: 404, not 401.
                        "/actuator/**",
                        "/v3/api-docs/**",
                        "/swagger-ui/**",
                        "/swagger-ui.html",
                        "/error")
                    .permitAll()
                    .requestMatchers("/internal/**")
                    // The scope and an allow-listed client: a scope granted to another client
                    // by mistake does not hand out merchants' GoCardless tokens.
                    .access(
                        AuthorizationManagers.allOf(
                            AuthorityAuthorizationManager.hasAuthority(
                                "SCOPE_" + properties.tokenScope()),
                            ClientAllowList.of(
                                properties.tokenClients(), properties.clientIdClaims())))
                    // The platform's operator reads (event timeline, relay): the operations scope.
                    .requestMatchers(
                        org.springframework.http.HttpMethod.GET,
                        "/operations/timeline",
                        "/operations/relay")
                    .hasAuthority("SCOPE_" + properties.operationsScope())
                    .requestMatchers("/operations/**")
                    .hasAuthority("SCOPE_" + properties.keyManagementScope())
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            rs ->
                rs.jwt(jwt -> {})
                    .authenticationEntryPoint(unauthenticated)
                    .accessDeniedHandler(denied))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied))
        .build();
  }
}
