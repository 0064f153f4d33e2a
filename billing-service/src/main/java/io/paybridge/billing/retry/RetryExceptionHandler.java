package io.paybridge.billing.retry;

import io.paybridge.billing.web.ApiProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Smart retries' own failures as problems (the web layer knows no feature). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RetryExceptionHandler {

  @ExceptionHandler(InvalidRetryPolicyException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidRetryPolicyException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.INVALID_RETRY_POLICY, e.getMessage(), request);
  }

  @ExceptionHandler(PaymentNotFailedException.class)
  ResponseEntity<ProblemDetail> notFailed(PaymentNotFailedException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.PAYMENT_NOT_FAILED, e.getMessage(), request);
  }
}
