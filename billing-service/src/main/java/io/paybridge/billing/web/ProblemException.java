package io.paybridge.billing.web;

/** A failure of the web layer itself (no team claim, no Idempotency-Key), as a problem. */
public class ProblemException extends RuntimeException {

  private final transient ApiProblem problem;

  public ProblemException(ApiProblem problem, String detail) {
    super(detail);
    this.problem = problem;
  }

  public ApiProblem problem() {
    return problem;
  }
}
