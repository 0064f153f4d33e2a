package io.paybridge.oauth.web;

import io.paybridge.platform.web.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * The service is an OAuth2 resource server: every API call carries a JWT of the configured issuer.
 * The callback is public (the merchant's browser reaches it); its {@code state} is its credential.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain api(
      HttpSecurity http,
      SecurityProperties properties,
      ObjectMapper mapper,
      InternalAccessDeniedListener denials)
      throws Exception {
    AuthenticationEntryPoint unauthenticated =
        (request, response, e) ->
            Problems.write(
                mapper,
                ApiProblem.UNAUTHENTICATED,
                "Missing or invalid bearer token",
                request,
                response);
    AccessDeniedHandler denied =
        (request, response, e) -> {
          denials.denied(request);
          Problems.write(
              mapper,
              ApiProblem.FORBIDDEN,
              "The token lacks the scope this endpoint needs",
              request,
              response);
        };
    return http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers(
                        "/oauth/callback",
                        "/oauth/complete",
                        "/actuator/health/**",
                        "/actuator/info",
                        "/actuator/prometheus",
                        "/v3/api-docs/**",
                        "/swagger-ui/**",
                        "/swagger-ui.html",
                        "/error")
                    .permitAll()
                    .requestMatchers("/internal/**")
                    .hasAuthority("SCOPE_" + properties.tokenScope())
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
