package io.paybridge.billing.web;

import io.paybridge.billing.idempotency.IdempotencyKeyReusedException;
import io.paybridge.billing.merchant.MerchantNotFoundException;
import io.paybridge.billing.merchant.ResourceNotFoundException;
import io.paybridge.platform.gocardless.GoCardlessFailure;
import io.paybridge.platform.web.CommonApiExceptionHandler;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The service's failures as problem+json from {@link ApiProblem}: GoCardless's failures by the
 * platform's taxonomy ({@link GoCardlessFailure}), the service's own by their exception types; the
 * failures every API answers alike come from {@link CommonApiExceptionHandler}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends CommonApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
    return Problems.response(e.problem(), e.getMessage(), request);
  }

  @ExceptionHandler(MerchantNotFoundException.class)
  ResponseEntity<ProblemDetail> merchant(MerchantNotFoundException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.MERCHANT_NOT_FOUND, e.getMessage(), request);
  }

  @ExceptionHandler(ResourceNotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(ResourceNotFoundException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.NOT_FOUND, e.getMessage(), request);
  }

  @ExceptionHandler(IdempotencyKeyReusedException.class)
  ResponseEntity<ProblemDetail> reused(
      IdempotencyKeyReusedException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.IDEMPOTENCY_KEY_REUSED, e.getMessage(), request);
  }

  @ExceptionHandler(GoCardlessFailure.class)
  ResponseEntity<ProblemDetail> gocardless(GoCardlessFailure e, HttpServletRequest request) {
    return switch (e) {
      case GoCardlessFailure.ValidationFailed v -> {
        var body = Problems.body(ApiProblem.VALIDATION_FAILED, v.getMessage(), request);
        body.setProperty(
            "errors",
            v.fields().stream()
                .map(
                    f ->
                        Map.of(
                            "field",
                            String.valueOf(f.field()),
                            "message",
                            String.valueOf(f.message())))
                .toList());
        yield ResponseEntity.status(ApiProblem.VALIDATION_FAILED.status())
            .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
            .body(body);
      }
      case GoCardlessFailure.InvalidState s -> {
        var body = Problems.body(ApiProblem.INVALID_STATE, s.getMessage(), request);
        if (s.reason() != null) {
          body.setProperty("reason", s.reason());
        }
        yield ResponseEntity.status(ApiProblem.INVALID_STATE.status())
            .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
            .body(body);
      }
      case GoCardlessFailure.IdempotencyConflict c ->
          Problems.response(ApiProblem.INVALID_STATE, c.getMessage(), request);
      case GoCardlessFailure.NotFound n ->
          Problems.response(ApiProblem.NOT_FOUND, "No such resource", request);
      case GoCardlessFailure.ReconnectionRequired r -> {
        log.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), r.getMessage());
        yield Problems.response(
            ApiProblem.MERCHANT_RECONNECTION_REQUIRED,
            "GoCardless refused the merchant's authorisation: the merchant must be connected again",
            request);
      }
      case GoCardlessFailure.MerchantNotConnected m ->
          Problems.response(ApiProblem.MERCHANT_NOT_CONNECTED, m.getMessage(), request);
      case GoCardlessFailure.RateLimited r ->
          retryAfter(ApiProblem.GOCARDLESS_RATE_LIMITED, r, request);
      case GoCardlessFailure.Unavailable u -> {
        log.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), u.getMessage());
        yield retryAfter(ApiProblem.GOCARDLESS_UNAVAILABLE, u, request);
      }
      case GoCardlessFailure.Rejected r -> {
        log.error("{} {}: {}", request.getMethod(), request.getRequestURI(), r.getMessage());
        yield Problems.response(ApiProblem.GOCARDLESS_REJECTED, r.getMessage(), request);
      }
      default ->
          Problems.response(ApiProblem.INTERNAL, "The request could not be processed", request);
    };
  }

  private static ResponseEntity<ProblemDetail> retryAfter(
      ApiProblem problem, GoCardlessFailure.Temporary e, HttpServletRequest request) {
    long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    return ResponseEntity.status(problem.status())
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.body(problem, e.getMessage(), request));
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  @Override
  protected ResponseEntity<ProblemDetail> missingHeader(
      MissingRequestHeaderException e, HttpServletRequest request) {
    if ("Idempotency-Key".equalsIgnoreCase(e.getHeaderName())) {
      return Problems.response(
          ApiProblem.IDEMPOTENCY_KEY_REQUIRED,
          "Creates need an Idempotency-Key header (1-255 characters), the same on every retry",
          request);
    }
    return super.missingHeader(e, request);
  }
}
