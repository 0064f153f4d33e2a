package io.paybridge.oauth.vault;

import io.paybridge.oauth.web.ApiProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The vault's failures as problems, wherever they surface (the token endpoint, a disconnect, the
 * callback). Ahead of the service's catch-all handler, which would answer 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class VaultExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(VaultExceptionHandler.class);

  /** Long enough for a load balancer to pick another instance, or for a fixed one to be ready. */
  private static final String RETRY_AFTER_SECONDS = "5";

  @ExceptionHandler(TokenKeyUnavailableException.class)
  ResponseEntity<ProblemDetail> keyUnavailable(
      TokenKeyUnavailableException e, HttpServletRequest request) {
    log.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    return ResponseEntity.status(ApiProblem.TOKEN_KEY_UNAVAILABLE.status())
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(
            Problems.body(
                ApiProblem.TOKEN_KEY_UNAVAILABLE,
                "This instance does not hold token encryption key '"
                    + e.keyId()
                    + "'; another instance may",
                request));
  }

  @ExceptionHandler(KeyActivationRefusedException.class)
  ResponseEntity<ProblemDetail> activationRefused(
      KeyActivationRefusedException e, HttpServletRequest request) {
    var body = Problems.body(ApiProblem.TOKEN_KEY_NOT_HELD, e.getMessage(), request);
    body.setProperty("keyId", e.keyId());
    body.setProperty("instancesWithoutKey", e.instancesWithoutKey());
    return ResponseEntity.status(ApiProblem.TOKEN_KEY_NOT_HELD.status())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(body);
  }
}
