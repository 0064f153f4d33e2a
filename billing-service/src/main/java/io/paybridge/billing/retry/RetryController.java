package io.paybridge.billing.retry;

import io.paybridge.billing.web.ApiProblem;
import io.paybridge.billing.web.ProblemException;
import io.paybridge.billing.web.Teams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "smart retries", description = "PayBridge's retries of failed payments")
class RetryController {

  private final RetryDecisions decisions;
  private final Teams teams;

  RetryController(RetryDecisions decisions, Teams teams) {
    this.decisions = decisions;
    this.teams = teams;
  }

  /** A policy change; a field left out keeps its value. */
  record PolicyChange(Boolean enabled, Integer maxRetries, Integer windowDays) {}

  @GetMapping("/retry-policies/{merchantId}")
  @Operation(
      summary = "The merchant's smart retry policy (the defaults until its team sets one)",
      security = @SecurityRequirement(name = "bearer"))
  RetryPolicy policy(@AuthenticationPrincipal Jwt caller, @PathVariable String merchantId) {
    return decisions.policy(teams.of(caller), merchantId);
  }

  @PutMapping("/retry-policies/{merchantId}")
  @Operation(
      summary = "Switch smart retries on or off for the merchant, set its window and limit",
      description =
          "maxRetries 1-3 (PayBridge's retries of one payment; GoCardless allows 3 in all),"
              + " windowDays 1-31 (days after the earliest possible charge date).",
      security = @SecurityRequirement(name = "bearer"))
  RetryPolicy setPolicy(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String merchantId,
      @RequestBody PolicyChange change) {
    return decisions.setPolicy(
        teams.of(caller), merchantId, change.enabled(), change.maxRetries(), change.windowDays());
  }

  @GetMapping("/payments/{id}/retry-decision")
  @Operation(
      summary = "What smart retries would decide now for a failed payment, and what they decided",
      security = @SecurityRequirement(name = "bearer"))
  RetryDecisions.Preview preview(@AuthenticationPrincipal Jwt caller, @PathVariable String id) {
    return decisions.preview(teams.of(caller), id);
  }

  @GetMapping("/retry-decisions")
  @Operation(
      summary = "The team's smart retry decisions with their reasons, newest first",
      security = @SecurityRequirement(name = "bearer"))
  List<RecordedDecision> list(
      @AuthenticationPrincipal Jwt caller,
      @RequestParam(required = false) String merchantId,
      @RequestParam(required = false) String paymentId,
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > 200) {
      throw new ProblemException(ApiProblem.INVALID_REQUEST, "limit must be between 1 and 200");
    }
    return decisions.list(teams.of(caller), merchantId, paymentId, limit);
  }
}
