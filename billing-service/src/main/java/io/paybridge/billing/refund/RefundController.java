package io.paybridge.billing.refund;

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
@Tag(name = "refunds", description = "Money back to the payer of a payment")
class RefundController {

  private final RefundService service;
  private final Teams teams;

  RefundController(RefundService service, Teams teams) {
    this.service = service;
    this.teams = teams;
  }

  @PostMapping("/refunds")
  @Operation(
      summary = "Refund (part of) a confirmed or paid-out payment of the team's",
      description =
          "Needs an Idempotency-Key header. A payment's refunds never total more than its amount:"
              + " 422 refund-exceeds-payment.",
      security = @SecurityRequirement(name = "bearer"))
  ResponseEntity<ObjectNode> create(
      @AuthenticationPrincipal Jwt caller,
      @RequestHeader("Idempotency-Key") String idempotencyKey,
      @RequestBody CreateRefund request) {
    ListParameters.requireKey(idempotencyKey);
    return CreateAnswers.answer(
        "/refunds", service.create(teams.of(caller), idempotencyKey, request));
  }

  @GetMapping("/refunds")
  @Operation(
      summary = "The team's refunds, newest first",
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

  @GetMapping("/refunds/{id}")
  @Operation(summary = "One refund", security = @SecurityRequirement(name = "bearer"))
  ObjectNode get(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.get(teams.of(caller), id);
  }
}
