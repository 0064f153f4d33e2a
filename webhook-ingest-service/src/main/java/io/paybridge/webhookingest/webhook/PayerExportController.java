package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.web.Problems;
import io.paybridge.webhookingest.erasure.PayerEvents;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An operator's access request about a payer, webhook-ingest-service's part ({@link PayerEvents});
 * the payer's resource ids come from billing-service's export. An operator's bearer token, as for
 * the quarantine ({@link OperatorAuthentication}).
 */
@RestController
class PayerExportController {

  private final PayerEvents events;
  private final OperatorAuthentication operators;

  PayerExportController(PayerEvents events, OperatorAuthentication operators) {
    this.events = events;
    this.operators = operators;
  }

  @GetMapping("/operations/payers/{customerId}/events")
  ResponseEntity<?> export(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String customerId,
      @RequestParam(name = "resourceId", required = false) List<String> resourceIds,
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
    return ResponseEntity.ok(
        events.export(customerId, resourceIds == null ? List.of() : resourceIds));
  }
}
