package io.paybridge.billing.instalment;

import io.paybridge.billing.projection.Page;
import io.paybridge.billing.web.CreateAnswers;
import io.paybridge.billing.web.ListParameters;
import io.paybridge.billing.web.Teams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

@RestController
@Tag(name = "instalment schedules", description = "A total collected in instalments")
class InstalmentScheduleController {

  private final InstalmentScheduleService service;
  private final Teams teams;

  InstalmentScheduleController(InstalmentScheduleService service, Teams teams) {
    this.service = service;
    this.teams = teams;
  }

  @PostMapping("/instalment-schedules")
  @Operation(
      summary =
          "An instalment schedule on one of the team's mandates, with dates or a schedule (Idempotency-Key)",
      security = @SecurityRequirement(name = "bearer"))
  ResponseEntity<ObjectNode> create(
      @AuthenticationPrincipal Jwt caller,
      @RequestHeader("Idempotency-Key") String idempotencyKey,
      @RequestBody CreateInstalmentSchedule request) {
    ListParameters.requireKey(idempotencyKey);
    return CreateAnswers.answer(
        "/instalment-schedules", service.create(teams.of(caller), idempotencyKey, request));
  }

  @GetMapping("/instalment-schedules")
  @Operation(
      summary = "The team's instalment schedules, newest first",
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

  @GetMapping("/instalment-schedules/{id}")
  @Operation(
      summary = "One instalment schedule, with its payments",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode get(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.get(teams.of(caller), id);
  }

  @PostMapping("/instalment-schedules/{id}/actions/cancel")
  @Operation(
      summary = "Cancel an instalment schedule (and its payments not yet submitted)",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode cancel(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.cancel(teams.of(caller), id);
  }
}
