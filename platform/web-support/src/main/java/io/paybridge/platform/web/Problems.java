package io.paybridge.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.ObjectMapper;

/** Builds problem+json bodies of a {@link ProblemType}, each with the request's id. */
public final class Problems {

  private Problems() {}

  public static ProblemDetail body(ProblemType problem, String detail, HttpServletRequest request) {
    return problem.body(detail, request.getRequestURI(), RequestIds.of(request));
  }

  public static ResponseEntity<ProblemDetail> response(
      ProblemType problem, String detail, HttpServletRequest request) {
    return ResponseEntity.status(problem.status())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(body(problem, detail, request));
  }

  /** Writes a problem outside Spring MVC (security filters, for example). */
  public static void write(
      ObjectMapper mapper,
      ProblemType problem,
      String detail,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    response.setStatus(problem.status());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    mapper.writeValue(response.getOutputStream(), body(problem, detail, request));
  }
}
