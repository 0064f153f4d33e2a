package io.paybridge.webhookingest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Everything but the recovery operator API ({@code recovery.RecoverySecurityConfiguration}) is left
 * to the checks the service makes itself, as before Spring Security was on the class path: the
 * webhook's signature, the quarantine's operator tokens, the management port's network check.
 * Without this chain Spring Boot would ask for a password on every path.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  SecurityFilterChain ownChecks(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .headers(headers -> headers.disable())
        .build();
  }
}
