package io.paybridge.billing.subscription;

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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

@RestController
@Tag(name = "subscriptions", description = "Payments on a schedule")
class SubscriptionController {

  private final SubscriptionService service;
  private final Teams teams;

  SubscriptionController(SubscriptionService service, Teams teams) {
    this.service = service;
    this.teams = teams;
  }

  @PostMapping("/subscriptions")
  @Operation(
      summary = "A subscription on one of the team's mandates (Idempotency-Key)",
      security = @SecurityRequirement(name = "bearer"))
  ResponseEntity<ObjectNode> create(
      @AuthenticationPrincipal Jwt caller,
      @RequestHeader("Idempotency-Key") String idempotencyKey,
      @RequestBody CreateSubscription request) {
    ListParameters.requireKey(idempotencyKey);
    return CreateAnswers.answer(
        "/subscriptions", service.create(teams.of(caller), idempotencyKey, request));
  }

  @GetMapping("/subscriptions")
  @Operation(
      summary = "The team's subscriptions, newest first",
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

  @GetMapping("/subscriptions/{id}")
  @Operation(
      summary = "One subscription, with its upcoming payments",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode get(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.get(teams.of(caller), id);
  }

  @PutMapping("/subscriptions/{id}")
  @Operation(
      summary = "Change amount, name, payment reference or metadata",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode update(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String id,
      @RequestBody CreateSubscription.Update body) {
    return service.update(teams.of(caller), id, body);
  }

  @PostMapping("/subscriptions/{id}/actions/pause")
  @Operation(
      summary = "Pause (for pauseCycles cycles, or until resumed)",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode pause(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String id,
      @RequestBody(required = false) CreateSubscription.Pause body) {
    return service.pause(teams.of(caller), id, body);
  }

  @PostMapping("/subscriptions/{id}/actions/resume")
  @Operation(
      summary = "Resume a paused subscription",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode resume(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.resume(teams.of(caller), id);
  }

  @PostMapping("/subscriptions/{id}/actions/cancel")
  @Operation(summary = "Cancel a subscription", security = @SecurityRequirement(name = "bearer"))
  ObjectNode cancel(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.cancel(teams.of(caller), id);
  }
}
