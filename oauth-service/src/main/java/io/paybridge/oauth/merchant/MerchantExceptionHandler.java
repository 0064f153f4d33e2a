package io.paybridge.oauth.merchant;

import io.paybridge.oauth.gocardless.GoCardlessUnavailableException;
import io.paybridge.oauth.web.ApiProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The merchant feature's failures as problem+json: the services throw domain exceptions, this maps
 * them to the {@link ApiProblem} catalogue. Ahead of the service-wide handler, whose catch-all
 * would otherwise answer 500.
 */
@RestControllerAdvice(assignableTypes = {MerchantController.class, CallbackController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class MerchantExceptionHandler {

  @ExceptionHandler(MerchantNotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(MerchantNotFoundException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.MERCHANT_NOT_FOUND, e.getMessage(), request);
  }

  @ExceptionHandler(MerchantNotInReviewException.class)
  ResponseEntity<ProblemDetail> notInReview(
      MerchantNotInReviewException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.MERCHANT_NOT_IN_REVIEW, e.getMessage(), request);
  }

  @ExceptionHandler(GoCardlessUnavailableException.class)
  ResponseEntity<ProblemDetail> gocardless(
      GoCardlessUnavailableException e, HttpServletRequest request) {
    return Problems.response(
        ApiProblem.GOCARDLESS_UNAVAILABLE, "GoCardless cannot be reached; try again", request);
  }

  @ExceptionHandler(ConnectionState.Refused.class)
  ResponseEntity<ProblemDetail> refused(ConnectionState.Refused e, HttpServletRequest request) {
    return Problems.response(
        ApiProblem.INVALID_OAUTH_STATE,
        "This connection link is not valid (" + e.refusal.wire() + "). Ask for a new one.",
        request);
  }

  @ExceptionHandler(CallbackRateLimitedException.class)
  ResponseEntity<ProblemDetail> rateLimited(
      CallbackRateLimitedException e, HttpServletRequest request) {
    long seconds = Math.max(1, (e.retryAfter.toMillis() + 999) / 1000);
    return ResponseEntity.status(ApiProblem.TOO_MANY_REFUSED_CALLBACKS.status())
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
        .body(
            Problems.body(
                ApiProblem.TOO_MANY_REFUSED_CALLBACKS,
                "Too many invalid connection links from this address; try again in "
                    + seconds
                    + " s",
                request));
  }
}
