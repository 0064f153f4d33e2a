package io.paybridge.billing.mandate;

import io.paybridge.billing.projection.Page;
import io.paybridge.billing.web.ListParameters;
import io.paybridge.billing.web.Teams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

@RestController
@Tag(name = "mandates", description = "Payers' authorisations to collect later payments")
class MandateController {

  private final MandateService service;
  private final Teams teams;

  MandateController(MandateService service, Teams teams) {
    this.service = service;
    this.teams = teams;
  }

  @GetMapping("/mandates")
  @Operation(
      summary = "The team's mandates, newest first",
      security = @SecurityRequirement(name = "bearer"))
  Page list(
      @AuthenticationPrincipal Jwt caller,
      @RequestParam(required = false) String merchantId,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Instant createdFrom,
      @RequestParam(required = false) Instant createdBefore,
      @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "50") int limit) {
    return service.list(
        teams.of(caller),
        ListParameters.query(merchantId, status, createdFrom, createdBefore, after, limit));
  }

  @GetMapping("/mandates/{id}")
  @Operation(
      summary = "One mandate, with its payer verification (verifiedAt)",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode get(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.get(teams.of(caller), id);
  }

  @PostMapping("/mandates/{id}/actions/cancel")
  @Operation(
      summary = "Cancel a mandate (and its pending payments)",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode cancel(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.cancel(teams.of(caller), id);
  }

  @PostMapping("/mandates/{id}/actions/reinstate")
  @Operation(
      summary = "Reinstate a cancelled or expired mandate",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode reinstate(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.reinstate(teams.of(caller), id);
  }
}
