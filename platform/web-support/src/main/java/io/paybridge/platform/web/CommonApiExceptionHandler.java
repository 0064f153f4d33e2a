package io.paybridge.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The failures every servlet API answers alike, as {@link CommonProblem}s: an unreadable or invalid
 * request, no such route, a method the route does not take, and anything unexpected (500, logged
 * with its stack trace, never echoed). A service's {@code @RestControllerAdvice} extends this and
 * adds the handlers of its own exceptions; a more specific handler there wins. Details never echo
 * request values beyond what names the fault.
 */
public abstract class CommonApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(CommonApiExceptionHandler.class);

  @ExceptionHandler({
    HttpMessageNotReadableException.class,
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  protected ResponseEntity<ProblemDetail> unreadable(Exception e, HttpServletRequest request) {
    return Problems.response(
        CommonProblem.INVALID_REQUEST, "The request could not be read: " + summary(e), request);
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  protected ResponseEntity<ProblemDetail> invalid(
      MethodArgumentNotValidException e, HttpServletRequest request) {
    return Problems.response(CommonProblem.INVALID_REQUEST, e.getMessage(), request);
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  protected ResponseEntity<ProblemDetail> missingHeader(
      MissingRequestHeaderException e, HttpServletRequest request) {
    return Problems.response(
        CommonProblem.INVALID_REQUEST, "Header " + e.getHeaderName() + " is missing", request);
  }

  @ExceptionHandler(NoResourceFoundException.class)
  protected ResponseEntity<ProblemDetail> noRoute(
      NoResourceFoundException e, HttpServletRequest request) {
    return Problems.response(CommonProblem.NOT_FOUND, "No such resource", request);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  protected ResponseEntity<ProblemDetail> methodNotAllowed(
      HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    return Problems.response(CommonProblem.METHOD_NOT_ALLOWED, e.getMessage(), request);
  }

  @ExceptionHandler(Exception.class)
  protected ResponseEntity<ProblemDetail> internal(Exception e, HttpServletRequest request) {
    log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
    return Problems.response(CommonProblem.INTERNAL, "The request could not be processed", request);
  }

  private static String summary(Exception e) {
    if (e instanceof MissingServletRequestParameterException m) {
      return "parameter " + m.getParameterName() + " is missing";
    }
    if (e instanceof MethodArgumentTypeMismatchException m) {
      return "parameter " + m.getName() + " has the wrong type";
    }
    // A request record refusing its values (its compact constructor) says why; pass that on.
    // Only here: an IllegalArgumentException anywhere else is a bug (500), not the caller's fault.
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IllegalArgumentException refused && refused.getMessage() != null) {
        return refused.getMessage();
      }
    }
    return "malformed body";
  }
}
