package io.paybridge.notification.web;

import io.paybridge.platform.web.CommonApiExceptionHandler;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The service-wide failures as problem+json from {@link ApiProblem}, over the ones every API
 * answers alike ({@link CommonApiExceptionHandler}); the features map their own exceptions ahead of
 * this (their advice has the highest precedence).
 */
@RestControllerAdvice
class ApiExceptionHandler extends CommonApiExceptionHandler {

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
    return Problems.response(e.problem(), e.getMessage(), request);
  }
}
