package io.paybridge.notification.delivery;

import io.paybridge.notification.web.ApiProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The delivery feature's failures as problem+json, ahead of the service-wide handler. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class DeliveryExceptionHandler {

  @ExceptionHandler(DeliveryNotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(DeliveryNotFoundException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.DELIVERY_NOT_FOUND, e.getMessage(), request);
  }

  @ExceptionHandler(InvalidReplayException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidReplayException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.INVALID_REQUEST, e.getMessage(), request);
  }
}
