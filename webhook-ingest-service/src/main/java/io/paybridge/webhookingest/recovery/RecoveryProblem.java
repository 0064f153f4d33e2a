package io.paybridge.webhookingest.recovery;

import io.paybridge.platform.web.ProblemType;

/**
 * The problems of {@code /operations/recoveries/**}. Types are stable; documented in
 * docs/problems.md. {@code unauthenticated}, {@code forbidden}, {@code invalid-request}, {@code
 * not-found} and {@code identity-provider-unavailable} are the platform's shared slugs.
 */
enum RecoveryProblem implements ProblemType {
  UNAUTHENTICATED(Definition.of(401, "unauthenticated", "A valid bearer token is required")),
  FORBIDDEN(Definition.of(403, "forbidden", "The caller may not do this")),
  INVALID_REQUEST(Definition.of(400, "invalid-request", "The request is not valid")),
  NOT_FOUND(Definition.of(404, "not-found", "No such resource")),
  ORGANISATION_NOT_CONNECTED(
      Definition.of(
          422,
          "organisation-not-connected",
          "No connected merchant has this GoCardless organisation")),
  IDENTITY_PROVIDER_UNAVAILABLE(
      Definition.of(
          503, "identity-provider-unavailable", "The token cannot be checked now; retry later"));

  private final Definition definition;

  RecoveryProblem(Definition definition) {
    this.definition = definition;
  }

  @Override
  public Definition definition() {
    return definition;
  }
}
