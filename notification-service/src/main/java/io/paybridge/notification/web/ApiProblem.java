package io.paybridge.notification.web;

import io.paybridge.platform.web.CommonProblem;
import io.paybridge.platform.web.ProblemType;

/**
 * The catalogue of problems the service answers with (RFC 9457 problem+json, docs/problems.md). The
 * type URIs are stable: clients may rely on them.
 */
public enum ApiProblem implements ProblemType {
  INVALID_REQUEST(CommonProblem.INVALID_REQUEST.definition()),
  INVALID_ENDPOINT(Definition.of(400, "invalid-endpoint", "The endpoint is not acceptable")),
  INVALID_EVENT_TYPE_FILTER(
      Definition.of(400, "invalid-event-type-filter", "An event-type filter is not valid")),
  UNAUTHENTICATED(Definition.of(401, "unauthenticated", "A valid bearer token is required")),
  FORBIDDEN(Definition.of(403, "forbidden", "The caller may not do this")),
  TEAM_CLAIM_MISSING(Definition.of(403, "team-claim-missing", "The token names no team")),
  ENDPOINT_NOT_FOUND(Definition.of(404, "endpoint-not-found", "No such endpoint")),
  DELIVERY_NOT_FOUND(Definition.of(404, "delivery-not-found", "No such delivery")),
  NOT_FOUND(CommonProblem.NOT_FOUND.definition()),
  METHOD_NOT_ALLOWED(CommonProblem.METHOD_NOT_ALLOWED.definition()),
  ENDPOINT_NOT_WEBHOOK(
      Definition.of(
          409, "endpoint-not-webhook", "The endpoint is an email address, not a webhook")),
  INTERNAL(CommonProblem.INTERNAL.definition()),
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
