package io.paybridge.billing.web;

import io.paybridge.platform.web.CommonProblem;
import io.paybridge.platform.web.ProblemType;

/**
 * The catalogue of problems billing-service answers with (RFC 9457 problem+json; docs/problems.md).
 * The type URIs are stable: clients may rely on them.
 */
public enum ApiProblem implements ProblemType {
  INVALID_REQUEST(CommonProblem.INVALID_REQUEST.definition()),
  INVALID_ANALYTICS_FILTER(
      Definition.of(400, "invalid-analytics-filter", "The analytics filter is not valid")),
  IDEMPOTENCY_KEY_REQUIRED(
      Definition.of(400, "idempotency-key-required", "An Idempotency-Key header is required")),
  UNAUTHENTICATED(Definition.of(401, "unauthenticated", "A valid bearer token is required")),
  FORBIDDEN(Definition.of(403, "forbidden", "The caller may not do this")),
  TEAM_CLAIM_MISSING(Definition.of(403, "team-claim-missing", "The token names no team")),
  PAYER_STEP_ON_HOSTED_PAGE(
      Definition.of(
          403,
          "payer-step-on-hosted-page",
          "Only the payer takes this step, on GoCardless's hosted page")),
  NOT_FOUND(CommonProblem.NOT_FOUND.definition()),
  MERCHANT_NOT_FOUND(Definition.of(404, "merchant-not-found", "No such merchant")),
  INVALID_CUSTOMER_ID(
      Definition.of(400, "invalid-customer-id", "The path names no GoCardless customer id")),
  ERASURE_REQUEST_NOT_FOUND(
      Definition.of(404, "erasure-request-not-found", "No erasure request with this id")),
  ERASURE_UNAVAILABLE(
      Definition.of(
          503, "erasure-unavailable", "Erasure cannot be requested: the service lacks its key")),
  METHOD_NOT_ALLOWED(CommonProblem.METHOD_NOT_ALLOWED.definition()),
  INVALID_STATE(
      Definition.of(
          409, "gocardless-invalid-state", "GoCardless refused this in the resource's state")),
  MERCHANT_NOT_CONNECTED(
      Definition.of(404, "merchant-not-connected", "No connected merchant with this id")),
  MERCHANT_RECONNECTION_REQUIRED(
      Definition.of(
          409,
          "merchant-reconnection-required",
          "GoCardless refused the merchant's authorisation")),
  VALIDATION_FAILED(
      Definition.of(
          422, "gocardless-validation-failed", "GoCardless refused the request's values")),
  IDEMPOTENCY_KEY_REUSED(
      Definition.of(
          422, "idempotency-key-reused", "This Idempotency-Key was used with another request")),
  INVALID_RETRY_POLICY(
      Definition.of(400, "invalid-retry-policy", "The retry policy is outside its limits")),
  PAYMENT_NOT_FAILED(
      Definition.of(409, "payment-not-failed", "The payment has not failed: nothing to retry")),
  REFUND_EXCEEDS_PAYMENT(
      Definition.of(
          422, "refund-exceeds-payment", "The refunds would total more than the payment")),
  GOCARDLESS_RATE_LIMITED(
      Definition.of(
          429, "gocardless-rate-limited", "GoCardless's rate limit for this merchant is used up")),
  INTERNAL(CommonProblem.INTERNAL.definition()),
  GOCARDLESS_REJECTED(
      Definition.of(
          502, "gocardless-rejected", "GoCardless answered in a way that was not expected")),
  GOCARDLESS_UNAVAILABLE(
      Definition.of(503, "gocardless-unavailable", "GoCardless cannot be reached; try again")),
  IDENTITY_PROVIDER_UNAVAILABLE(
      Definition.of(
          503, "identity-provider-unavailable", "The token cannot be checked now; retry later"));

  private final Definition definition;

  ApiProblem(Definition definition) {
    this.definition = definition;
  }

  @Override
  public Definition definition() {
    return definition;
  }
}
