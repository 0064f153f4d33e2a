package io.paybridge.platform.operations.audit;

import io.paybridge.platform.operations.OperationsProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * {@code GET /operations/audit?from=&to=&action=&limit=}: the service's audit entries, newest first
 * ({@code operations:read}, guarded by the service's security chain).
 */
@RestController
public class AuditController {

  private static final int MAX_LIMIT = 1000;

  private final AuditLog audit;

  public AuditController(AuditLog audit) {
    this.audit = audit;
  }

  /** The answer. */
  public record AuditEntries(List<AuditEntry> entries) {}

  @GetMapping("/operations/audit")
  ResponseEntity<?> find(
      @RequestParam(required = false) Instant from,
      @RequestParam(required = false) Instant to,
      @RequestParam(required = false) String action,
      @RequestParam(defaultValue = "50") int limit,
      HttpServletRequest request) {
    if (limit < 1 || limit > MAX_LIMIT) {
      return Problems.response(
          OperationsProblem.INVALID_REQUEST, "limit must be within 1.." + MAX_LIMIT, request);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      return Problems.response(
          OperationsProblem.INVALID_REQUEST, "from must be before to", request);
    }
    return ResponseEntity.ok(
        new AuditEntries(
            audit.find(from, to, action == null || action.isBlank() ? null : action, limit)));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<?> badParameter(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    return Problems.response(
        OperationsProblem.INVALID_REQUEST,
        e.getName() + " is not valid (from and to are ISO-8601 instants, limit a number)",
        request);
  }
}
