package io.paybridge.platform.operations;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * The scopes of the shared operator endpoints, for a service's security chain: reads ({@code GET
 * /operations/dead-letters/**}, {@code GET /operations/audit}) need {@value #READ}, replays need
 * {@value #WRITE}. A service puts these rules before its own {@code /operations/**} rules.
 */
public final class OperationsAccess {

  /** Scope of operator reads. */
  public static final String READ = "operations:read";

  /** Scope of operator writes (replays, recoveries, erasures). */
  public static final String WRITE = "operations:write";

  private OperationsAccess() {}

  /** Adds the rules of the shared operator endpoints to {@code auth} and returns it. */
  public static AuthorizeHttpRequestsConfigurer<HttpSecurity>
          .AuthorizationManagerRequestMatcherRegistry
      rules(
          AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry
              auth) {
    return auth.requestMatchers(
            HttpMethod.GET,
            "/operations/dead-letters",
            "/operations/dead-letters/*",
            "/operations/audit")
        .hasAuthority("SCOPE_" + READ)
        .requestMatchers(HttpMethod.POST, "/operations/dead-letters/replays")
        .hasAuthority("SCOPE_" + WRITE)
        .requestMatchers(
            "/operations/dead-letters", "/operations/dead-letters/**", "/operations/audit")
        .denyAll();
  }
}
