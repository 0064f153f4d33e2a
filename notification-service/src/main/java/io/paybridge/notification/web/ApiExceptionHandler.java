package io.paybridge.notification.web;

import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The service-wide failures as problem+json from {@link ApiProblem}; the features map their own
 * exceptions ahead of this (their advice has the highest precedence).
 */
@RestControllerAdvice
class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
    return Problems.response(e.problem(), e.getMessage(), request);
  }

  @ExceptionHandler({
    HttpMessageNotReadableException.class,
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<ProblemDetail> unreadable(Exception e, HttpServletRequest request) {
    return Problems.response(
        ApiProblem.INVALID_REQUEST, "The request could not be read: " + summary(e), request);
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ProblemDetail> notFound(NoResourceFoundException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.NOT_FOUND, "No such resource", request);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ProblemDetail> method(
      HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    return Problems.response(ApiProblem.METHOD_NOT_ALLOWED, e.getMessage(), request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> internal(Exception e, HttpServletRequest request) {
    log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
    return Problems.response(ApiProblem.INTERNAL, "The request could not be processed", request);
  }

  private static String summary(Exception e) {
    if (e instanceof MissingServletRequestParameterException m) {
      return "parameter " + m.getParameterName() + " is missing";
    }
    if (e instanceof MethodArgumentTypeMismatchException m) {
      return "parameter " + m.getName() + " has the wrong type";
    }
    return "malformed body";
  }
}
