package io.paybridge.oauth.web;

/** A failure that the API reports as the given problem; the message becomes its detail. */
public class ProblemException extends RuntimeException {

  private final ApiProblem problem;

  public ProblemException(ApiProblem problem, String detail) {
    super(detail);
    this.problem = problem;
  }

  public ApiProblem problem() {
    return problem;
  }
}
