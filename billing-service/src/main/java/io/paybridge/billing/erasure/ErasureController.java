package io.paybridge.billing.erasure;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * Operators' data-protection requests about a payer: erasure (scope {@code operations:write}), its
 * status per service ({@code operations:read}), and an export of what billing-service holds ({@code
 * operations:write}: it shows personal data). docs/runbook.md says how to handle them.
 */
@RestController
class ErasureController {

  private final ErasureService erasures;

  ErasureController(ErasureService erasures) {
    this.erasures = erasures;
  }

  @Operation(
      summary = "Erase a payer's personal data in every service (202: the request and its status)")
  @PostMapping("/operations/payers/{customerId}/erasure")
  ResponseEntity<ErasureService.Status> erase(
      @PathVariable String customerId, @AuthenticationPrincipal Jwt jwt) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(erasures.request(customerId, operator(jwt)));
  }

  @Operation(summary = "An erasure request's status, per service")
  @GetMapping("/operations/erasures/{requestId}")
  ErasureService.Status status(@PathVariable String requestId) {
    return erasures.status(requestId);
  }

  @Operation(summary = "What billing-service holds about a payer (access request)")
  @GetMapping("/operations/payers/{customerId}/export")
  ObjectNode export(@PathVariable String customerId) {
    return erasures.export(customerId);
  }

  private static String operator(Jwt jwt) {
    Object client = jwt.getClaims().get("client_id");
    if (client instanceof String value && !value.isBlank()) {
      return value;
    }
    return jwt.getSubject() == null ? "unknown" : jwt.getSubject();
  }
}
