package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.web.ProblemType;

/**
 * The problems of the operator endpoints {@code /operations/quarantine/**}. Types are stable;
 * documented in docs/problems.md. {@code unauthenticated}, {@code invalid-request} and {@code
 * not-found} are the platform's shared slugs.
 */
enum QuarantineProblem implements ProblemType {
  UNAUTHENTICATED(Definition.of(401, "unauthenticated", "A valid bearer token is required")),
  INVALID_REQUEST(Definition.of(400, "invalid-request", "The request is not valid")),
  NOT_FOUND(Definition.of(404, "not-found", "No such resource")),
  ALREADY_RELEASED(
      Definition.of(
          409, "quarantined-event-already-released", "The quarantined event was released before")),
  STILL_INVALID(
      Definition.of(422, "quarantined-event-still-invalid", "The event still cannot be routed")),
  INTERNAL(Definition.of(500, "internal-error", "The request could not be processed"));

  private final Definition definition;

  QuarantineProblem(Definition definition) {
    this.definition = definition;
  }

  @Override
  public Definition definition() {
    return definition;
  }
}
