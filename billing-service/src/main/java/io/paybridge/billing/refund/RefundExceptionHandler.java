package io.paybridge.billing.refund;

import io.paybridge.billing.web.ApiProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The refund feature's own failure as a problem (the web layer knows no feature). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RefundExceptionHandler {

  @ExceptionHandler(RefundExceedsPaymentException.class)
  ResponseEntity<ProblemDetail> exceeds(
      RefundExceedsPaymentException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.REFUND_EXCEEDS_PAYMENT, e.getMessage(), request);
  }
}
