package io.paybridge.notification.delivery;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * An operator's access request about a payer, notification-service's part ({@link
 * PayerDeliveries}); the payer's resource ids come from billing-service's export. An operator read
 * ({@code operations:read}), as the delivery operations that show bodies are.
 */
@RestController
class PayerExportController {

  private final PayerDeliveries deliveries;

  PayerExportController(PayerDeliveries deliveries) {
    this.deliveries = deliveries;
  }

  @Operation(summary = "What notification-service holds about a payer (access request)")
  @GetMapping("/operations/payers/{customerId}/deliveries")
  ObjectNode export(
      @PathVariable String customerId,
      @RequestParam(name = "resourceId", required = false) List<String> resourceIds) {
    return deliveries.export(customerId, resourceIds == null ? List.of() : resourceIds);
  }
}
