package io.paybridge.platform.web.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The JWT decoder of a resource server, from {@link JwtProperties}: replaces Spring Boot's
 * issuer-uri decoder (which resolves the issuer lazily on the first request and fails it with a
 * bare 500 when the issuer is slow). On wherever Spring Security's resource server is on the class
 * path; {@code paybridge.security.jwt.enabled=false} switches it off.
 */
@AutoConfiguration(
    beforeName = {
      "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
      "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration"
    })
@ConditionalOnClass({JwtDecoder.class, JWKSource.class})
@ConditionalOnProperty(
    prefix = JwtSecurityAutoConfiguration.PREFIX,
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(JwtProperties.class)
class JwtSecurityAutoConfiguration {

  static final String PREFIX = "paybridge.security.jwt";

  @Bean
  IssuerKeys issuerKeys(JwtProperties properties) {
    return new IssuerKeys(properties);
  }

  @Bean
  IssuerJwtDecoder jwtDecoder(
      JwtProperties properties, IssuerKeys keys, ObjectProvider<Clock> clock) {
    return new IssuerJwtDecoder(properties, keys, clock.getIfUnique());
  }

  /**
   * In a WebFlux application (the gateway): the same decoder behind Spring Security's reactive
   * interface, so that both stacks check tokens by one set of rules.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.security.oauth2.jwt.ReactiveJwtDecoder")
  @ConditionalOnProperty(
      prefix = PREFIX,
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class ReactiveDecoder {

    @Bean
    ReactiveJwtDecoder reactiveJwtDecoder(IssuerJwtDecoder jwtDecoder, IssuerKeys keys) {
      return new ReactiveIssuerJwtDecoder(jwtDecoder, keys);
    }
  }

  /** {@code jwtKeys}: DOWN while no keys of the issuer could be had; add it to readiness. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  // Member classes are registered on their own conditions: repeat the switch.
  @ConditionalOnProperty(
      prefix = PREFIX,
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class KeysHealth {

    @Bean
    HealthIndicator jwtKeysHealthIndicator(IssuerKeys keys, JwtProperties properties) {
      return () -> {
        var state = keys.state();
        var health = state.available() ? Health.up() : Health.down();
        health
            .withDetail("issuer", properties.issuerUri())
            .withDetail("keyIds", state.keyIds())
            .withDetail("failedRefreshes", state.failedRefreshes());
        if (state.lastFailure() != null) {
          health.withDetail("lastFailure", state.lastFailure());
        }
        return health.build();
      };
    }
  }
}
