package io.paybridge.platform.web.security;

import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/**
 * A bearer token could not be checked because the issuer's keys cannot be had (never fetched, and
 * the issuer does not answer). Not the caller's fault: answered 503 with {@code Retry-After}, not
 * 401. An {@link AuthenticationException} but not an {@code AuthenticationServiceException}, so
 * that Spring Security hands it to the entry point instead of letting it escape as a bare 500.
 */
public class IdentityProviderUnavailableException extends AuthenticationException {

  private final Duration retryAfter;

  public IdentityProviderUnavailableException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** When it is worth trying again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
