package io.paybridge.platform.web.reactive;

import io.paybridge.platform.web.ProblemType;
import io.paybridge.platform.web.security.IdentityProviderUnavailableException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import tools.jackson.databind.ObjectMapper;

/**
 * The WebFlux counterpart of {@code BearerTokenProblems}: a missing or invalid token is {@code
 * unauthenticated} (401); a token that cannot be checked because the issuer's keys cannot be had is
 * {@code unavailable} (503, with {@code Retry-After}).
 */
public final class ReactiveBearerTokenProblems {

  private ReactiveBearerTokenProblems() {}

  public static ServerAuthenticationEntryPoint entryPoint(
      ObjectMapper mapper, ProblemType unauthenticated, ProblemType unavailable) {
    return (exchange, e) -> {
      if (e instanceof IdentityProviderUnavailableException down) {
        return ReactiveProblems.write(
            mapper,
            unavailable,
            "The identity provider cannot be reached to check the token; retry later",
            down.retryAfter(),
            exchange);
      }
      // RFC 6750: an error code only when a token was sent and refused.
      exchange
          .getResponse()
          .getHeaders()
          .set(
              "WWW-Authenticate",
              e instanceof OAuth2AuthenticationException
                  ? "Bearer error=\"invalid_token\""
                  : "Bearer");
      return ReactiveProblems.write(
          mapper, unauthenticated, "Missing or invalid bearer token", exchange);
    };
  }
}
