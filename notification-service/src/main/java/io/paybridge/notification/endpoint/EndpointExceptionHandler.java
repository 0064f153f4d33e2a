package io.paybridge.notification.endpoint;

import io.paybridge.notification.web.ApiProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The endpoint feature's failures as problem+json, ahead of the service-wide handler (whose
 * catch-all would answer 500). Also used by the delivery feature's controllers, which look up
 * endpoints.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class EndpointExceptionHandler {

  @ExceptionHandler(EndpointNotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(EndpointNotFoundException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.ENDPOINT_NOT_FOUND, e.getMessage(), request);
  }

  @ExceptionHandler(InvalidEndpointException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidEndpointException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.INVALID_ENDPOINT, e.getMessage(), request);
  }

  @ExceptionHandler(InvalidEventTypeFilterException.class)
  ResponseEntity<ProblemDetail> filter(
      InvalidEventTypeFilterException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.INVALID_EVENT_TYPE_FILTER, e.getMessage(), request);
  }

  @ExceptionHandler(EndpointNotWebhookException.class)
  ResponseEntity<ProblemDetail> notWebhook(
      EndpointNotWebhookException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.ENDPOINT_NOT_WEBHOOK, e.getMessage(), request);
  }
}
