package io.paybridge.billing.erasure;

import io.paybridge.billing.web.ApiProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The erasure feature's failures as problems (the web layer knows no feature). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ErasureExceptionHandler {

  @ExceptionHandler(InvalidCustomerIdException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidCustomerIdException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.INVALID_CUSTOMER_ID, e.getMessage(), request);
  }

  @ExceptionHandler(ErasureRequestNotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(
      ErasureRequestNotFoundException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.ERASURE_REQUEST_NOT_FOUND, e.getMessage(), request);
  }

  @ExceptionHandler(ErasureUnavailableException.class)
  ResponseEntity<ProblemDetail> unavailable(
      ErasureUnavailableException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.ERASURE_UNAVAILABLE, e.getMessage(), request);
  }
}
