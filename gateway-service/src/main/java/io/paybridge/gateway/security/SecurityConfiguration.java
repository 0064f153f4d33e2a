package io.paybridge.gateway.security;

import io.paybridge.gateway.problem.GatewayProblem;
import io.paybridge.platform.web.reactive.ReactiveBearerTokenProblems;
import io.paybridge.platform.web.reactive.ReactiveProblems;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import tools.jackson.databind.ObjectMapper;

/**
 * The gateway as an OAuth2 resource server: the token is checked by web-support's decoder ({@code
 * paybridge.security.jwt.*}: asymmetric signature of the issuer, issuer, audience, expiry with
 * skew), then the route's rule ({@link AccessProperties}). Stateless: no session, no saved request,
 * no CSRF (no cookies are used). The original {@code Authorization} header is passed on untouched,
 * and every service checks the token again.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

  private static final List<HttpMethod> READS =
      List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  /**
   * No observation (a timer and its tags) around each of Spring Security's filters, every request:
   * a measurable share of the gateway's CPU per request. The request as a whole is still observed
   * ({@code http.server.requests}).
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  SecurityWebFilterChain gatewaySecurity(
      ServerHttpSecurity http, AccessProperties access, ObjectMapper mapper) {
    ServerAuthenticationEntryPoint entryPoint =
        ReactiveBearerTokenProblems.entryPoint(
            mapper, GatewayProblem.UNAUTHENTICATED, GatewayProblem.IDENTITY_PROVIDER_UNAVAILABLE);
    ServerAccessDeniedHandler denied =
        (exchange, e) -> {
          var refusal = TeamAuthorization.refusal(exchange);
          return ReactiveProblems.write(mapper, refusal.problem(), refusal.detail(), exchange);
        };
    http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .exceptionHandling(
            handling -> handling.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
        .oauth2ResourceServer(
            rs ->
                rs.jwt(jwt -> {}).authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
        .authorizeExchange(
            exchanges -> {
              // Actuator answers on the management port only (internal network, not routed); on
              // the public port these paths have no handler and answer 404.
              exchanges.pathMatchers("/actuator/**").permitAll();
              for (var open : access.publicRoutes()) {
                if (open.method() == null) {
                  exchanges.pathMatchers(open.path()).permitAll();
                } else {
                  exchanges.pathMatchers(open.method(), open.path()).permitAll();
                }
              }
              String team = access.teamClaim();
              for (var rule : access.scopes()) {
                String[] paths = rule.paths().toArray(String[]::new);
                for (HttpMethod read : READS) {
                  exchanges
                      .pathMatchers(read, paths)
                      .access(TeamAuthorization.teamWithScope(team, rule.read()));
                }
                exchanges
                    .pathMatchers(paths)
                    .access(TeamAuthorization.teamWithScope(team, rule.write()));
              }
              // Anything else (an unknown path: 404 once authenticated) still needs a team's token,
              // so that an anonymous caller cannot probe which paths exist.
              exchanges.anyExchange().access(TeamAuthorization.team(team));
            });
    return http.build();
  }
}
