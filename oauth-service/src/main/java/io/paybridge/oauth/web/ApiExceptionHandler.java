package io.paybridge.oauth.web;

import io.paybridge.platform.web.CommonApiExceptionHandler;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The service's own failures as problem+json from {@link ApiProblem}; the failures every API
 * answers alike come from {@link CommonApiExceptionHandler}. Details never echo a token.
 */
@RestControllerAdvice
class ApiExceptionHandler extends CommonApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
    if (e.problem().status() >= 500) {
      log.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }
    return Problems.response(e.problem(), e.getMessage(), request);
  }
}
