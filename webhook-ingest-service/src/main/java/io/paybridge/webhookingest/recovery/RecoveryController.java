package io.paybridge.webhookingest.recovery;

import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators start a recovery of one organisation's events for a time range and follow the runs
 * (scheduled ones included). Scopes are checked by {@link RecoverySecurityConfiguration}: {@code
 * operations:write} to start one, {@code operations:read} to look.
 */
@RestController
@RequestMapping("/operations/recoveries")
@RecoveryEnabled
class RecoveryController {

  private static final int MAX_LIMIT = 500;

  private final RecoveryService recovery;

  RecoveryController(RecoveryService recovery) {
    this.recovery = recovery;
  }

  /** 202 with the run as it started and its {@code Location}; it goes on in the background. */
  @PostMapping
  ResponseEntity<?> start(
      @RequestBody RecoveryRequest body,
      @AuthenticationPrincipal Jwt operator,
      HttpServletRequest request) {
    return recovery
        .request(body.organisationId(), body.from(), body.to(), requester(operator))
        .<ResponseEntity<?>>map(
            run ->
                ResponseEntity.accepted()
                    .location(URI.create("/operations/recoveries/" + run.id()))
                    .body(run))
        .orElseGet(
            () ->
                Problems.response(
                    RecoveryProblem.ORGANISATION_NOT_CONNECTED,
                    "No connected merchant has organisation " + body.organisationId(),
                    request));
  }

  @GetMapping
  ResponseEntity<?> list(
      @RequestParam(required = false) String organisationId,
      @RequestParam(defaultValue = "50") int limit,
      HttpServletRequest request) {
    if (limit < 1 || limit > MAX_LIMIT) {
      return Problems.response(
          RecoveryProblem.INVALID_REQUEST, "limit must be within 1.." + MAX_LIMIT, request);
    }
    return ResponseEntity.ok(recovery.list(organisationId, limit));
  }

  @GetMapping("/{id}")
  ResponseEntity<?> get(@PathVariable long id, HttpServletRequest request) {
    return recovery
        .find(id)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .orElseGet(
            () -> Problems.response(RecoveryProblem.NOT_FOUND, "No recovery " + id, request));
  }

  // The token's subject names the operator; a service's token may carry only its client id.
  private static String requester(Jwt operator) {
    if (operator.getSubject() != null) {
      return operator.getSubject();
    }
    return operator.getClaimAsString("client_id");
  }
}
