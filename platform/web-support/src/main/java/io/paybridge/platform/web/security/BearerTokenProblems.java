package io.paybridge.platform.web.security;

import io.paybridge.platform.web.ProblemType;
import io.paybridge.platform.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.AuthenticationEntryPoint;
import tools.jackson.databind.ObjectMapper;

/**
 * The entry point of a resource server, as problem+json from the service's own catalogue: a missing
 * or invalid token is {@code unauthenticated} (401); a token that cannot be checked because the
 * issuer's keys cannot be had is {@code unavailable} (503, with {@code Retry-After}).
 */
public final class BearerTokenProblems {

  private BearerTokenProblems() {}

  public static AuthenticationEntryPoint entryPoint(
      ObjectMapper mapper, ProblemType unauthenticated, ProblemType unavailable) {
    return (request, response, e) -> {
      if (e instanceof IdentityProviderUnavailableException down) {
        response.setHeader(
            HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, down.retryAfter().toSeconds())));
        Problems.write(
            mapper,
            unavailable,
            "The identity provider cannot be reached to check the token; retry later",
            request,
            response);
        return;
      }
      Problems.write(mapper, unauthenticated, "Missing or invalid bearer token", request, response);
    };
  }
}
