package io.paybridge.billing.payment;

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
@Tag(name = "payments", description = "Payments on mandates")
class PaymentController {

  private final PaymentService service;
  private final Teams teams;

  PaymentController(PaymentService service, Teams teams) {
    this.service = service;
    this.teams = teams;
  }

  @PostMapping("/payments")
  @Operation(
      summary = "Create a payment on one of the team's mandates",
      description = "Needs an Idempotency-Key header (same key and body: the same payment).",
      security = @SecurityRequirement(name = "bearer"))
  ResponseEntity<ObjectNode> create(
      @AuthenticationPrincipal Jwt caller,
      @RequestHeader("Idempotency-Key") String idempotencyKey,
      @RequestBody CreatePayment request) {
    ListParameters.requireKey(idempotencyKey);
    return CreateAnswers.answer(
        "/payments", service.create(teams.of(caller), idempotencyKey, request));
  }

  @GetMapping("/payments")
  @Operation(
      summary = "The team's payments, newest first",
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

  @GetMapping("/payments/{id}")
  @Operation(summary = "One payment", security = @SecurityRequirement(name = "bearer"))
  ObjectNode get(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.get(teams.of(caller), id);
  }

  @PostMapping("/payments/{id}/actions/cancel")
  @Operation(
      summary = "Cancel a payment not yet submitted",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode cancel(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.cancel(teams.of(caller), id);
  }

  @PostMapping("/payments/{id}/actions/retry")
  @Operation(summary = "Retry a failed payment", security = @SecurityRequirement(name = "bearer"))
  ObjectNode retry(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String id,
      @RequestBody(required = false) CreatePayment.Retry body) {
    return service.retry(teams.of(caller), id, body);
  }
}
