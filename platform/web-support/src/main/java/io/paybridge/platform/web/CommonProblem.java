package io.paybridge.platform.web;

/**
 * The problems every servlet service answers the same way, whatever its own catalogue holds. A
 * service's catalogue refers to these definitions rather than repeating them.
 */
public enum CommonProblem implements ProblemType {
  INVALID_REQUEST(Definition.of(400, "invalid-request", "The request is not valid")),
  NOT_FOUND(Definition.of(404, "not-found", "No such resource")),
  METHOD_NOT_ALLOWED(Definition.of(405, "method-not-allowed", "Method not allowed")),
  INTERNAL(Definition.of(500, "internal-error", "The request could not be processed"));

  private final Definition definition;

  CommonProblem(Definition definition) {
    this.definition = definition;
  }

  @Override
  public Definition definition() {
    return definition;
  }
}
