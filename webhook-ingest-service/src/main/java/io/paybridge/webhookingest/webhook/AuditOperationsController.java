package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.operations.audit.AuditLog;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * {@code GET /operations/audit?from=&to=&action=&limit=}: this service's audit entries (quarantine
 * replays), for an operator's token as the quarantine endpoints ({@link OperatorAuthentication}).
 * The other services serve the same answer from platform/operations-support behind their JWT chain.
 */
@RestController
class AuditOperationsController {

  private static final int MAX_LIMIT = 1000;

  private final AuditLog audit;
  private final OperatorAuthentication operators;

  AuditOperationsController(AuditLog audit, OperatorAuthentication operators) {
    this.audit = audit;
    this.operators = operators;
  }

  @GetMapping("/operations/audit")
  ResponseEntity<?> find(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestParam(required = false) Instant from,
      @RequestParam(required = false) Instant to,
      @RequestParam(required = false) String action,
      @RequestParam(defaultValue = "50") int limit,
      HttpServletRequest request) {
    if (operators.operator(authorization).isEmpty()) {
      var response =
          Problems.response(
              QuarantineProblem.UNAUTHENTICATED, "An operator's bearer token is required", request);
      return ResponseEntity.status(response.getStatusCode())
          .headers(response.getHeaders())
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .body(response.getBody());
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      return Problems.response(
          QuarantineProblem.INVALID_REQUEST, "limit must be within 1.." + MAX_LIMIT, request);
    }
    List<?> entries =
        audit.find(from, to, action == null || action.isBlank() ? null : action, limit);
    return ResponseEntity.ok(Map.of("entries", entries));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<?> badParameter(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    return Problems.response(
        QuarantineProblem.INVALID_REQUEST, e.getName() + " is not valid", request);
  }
}
