package io.paybridge.billing.billingrequest;

import io.paybridge.billing.merchant.ResourceNotFoundException;
import io.paybridge.billing.projection.Page;
import io.paybridge.billing.web.ApiProblem;
import io.paybridge.billing.web.CreateAnswers;
import io.paybridge.billing.web.ListParameters;
import io.paybridge.billing.web.ProblemException;
import io.paybridge.billing.web.Teams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.http.HttpStatus;
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
@Tag(name = "billing requests", description = "Collect a payment, a mandate or both from a payer")
class BillingRequestController {

  private final BillingRequestService service;
  private final Teams teams;

  BillingRequestController(BillingRequestService service, Teams teams) {
    this.service = service;
    this.teams = teams;
  }

  @PostMapping("/billing-requests")
  @Operation(
      summary = "Create a billing request for one of the team's merchants",
      description =
          "Needs an Idempotency-Key header: the same key with the same body answers the same"
              + " billing request (200), with another body 422 idempotency-key-reused.",
      security = @SecurityRequirement(name = "bearer"))
  ResponseEntity<ObjectNode> create(
      @AuthenticationPrincipal Jwt caller,
      @RequestHeader("Idempotency-Key") String idempotencyKey,
      @RequestBody CreateBillingRequest request) {
    ListParameters.requireKey(idempotencyKey);
    return CreateAnswers.answer(
        "/billing-requests", service.create(teams.of(caller), idempotencyKey, request));
  }

  @GetMapping("/billing-requests")
  @Operation(
      summary = "The team's billing requests, newest first",
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

  @GetMapping("/billing-requests/{id}")
  @Operation(summary = "One billing request", security = @SecurityRequirement(name = "bearer"))
  ObjectNode get(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return service.get(teams.of(caller), id);
  }

  @PostMapping("/billing-requests/{id}/actions/{action}")
  @Operation(
      summary = "A billing request action",
      description =
          "collect-customer-details, select-institution, fulfil, notify, choose-currency,"
              + " fallback, cancel. collect-bank-account and confirm-payer-details are the"
              + " payer's, on GoCardless's hosted page (a billing request flow): 403"
              + " payer-step-on-hosted-page.",
      security = @SecurityRequirement(name = "bearer"))
  ObjectNode act(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String id,
      @PathVariable String action,
      @RequestBody(required = false) BillingRequestAction body) {
    if (BillingRequestActions.PAYER_ONLY.contains(action)) {
      throw new ProblemException(
          ApiProblem.PAYER_STEP_ON_HOSTED_PAGE,
          action
              + " is the payer's step: send the payer to a billing request flow"
              + " (POST /billing-request-flows), where GoCardless collects their bank details"
              + " and their consent");
    }
    if (!BillingRequestActions.NAMES.contains(action)) {
      throw new ResourceNotFoundException("billing request action", action);
    }
    return service.act(teams.of(caller), id, action, body);
  }

  @PostMapping("/billing-request-flows")
  @Operation(
      summary = "A hosted payer page for a billing request: its authorisation URL",
      security = @SecurityRequirement(name = "bearer"))
  ResponseEntity<CreateFlow.Flow> flow(
      @AuthenticationPrincipal Jwt caller, @RequestBody CreateFlow request) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(service.createFlow(teams.of(caller), request));
  }
}
