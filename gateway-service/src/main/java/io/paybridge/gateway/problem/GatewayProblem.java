package io.paybridge.gateway.problem;

import io.paybridge.platform.web.ProblemType;

/**
 * What the gateway itself answers (RFC 9457 problem+json, docs/problems.md). Answers of the
 * services pass through unchanged; where a service has the same problem (401 {@code
 * unauthenticated}, 403 {@code team-claim-missing}), the gateway uses the same type, so that a team
 * sees one error language whichever layer answers.
 */
public enum GatewayProblem implements ProblemType {
  INVALID_REQUEST(Definition.of(400, "invalid-request", "The request is not valid")),
  UNAUTHENTICATED(Definition.of(401, "unauthenticated", "A valid bearer token is required")),
  INSUFFICIENT_SCOPE(
      Definition.of(403, "insufficient-scope", "The token lacks the scope this route needs")),
  TEAM_CLAIM_MISSING(Definition.of(403, "team-claim-missing", "The token names no team")),
  NOT_FOUND(Definition.of(404, "not-found", "No such resource")),
  METHOD_NOT_ALLOWED(Definition.of(405, "method-not-allowed", "Method not allowed")),
  REQUEST_TOO_LARGE(Definition.of(413, "request-too-large", "The request body is too large")),
  RATE_LIMITED(Definition.of(429, "rate-limited", "Too many requests; slow down")),
  INTERNAL(Definition.of(500, "internal-error", "The request could not be processed")),
  SERVICE_UNAVAILABLE(
      Definition.of(503, "service-unavailable", "The service cannot answer now; retry later")),
  IDENTITY_PROVIDER_UNAVAILABLE(
      Definition.of(
          503, "identity-provider-unavailable", "The token cannot be checked now; retry later"));

  private final Definition definition;

  GatewayProblem(Definition definition) {
    this.definition = definition;
  }

  @Override
  public Definition definition() {
    return definition;
  }
}
