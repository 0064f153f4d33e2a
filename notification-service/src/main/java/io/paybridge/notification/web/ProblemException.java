package io.paybridge.notification.web;

/**
 * A failure of the API layer itself (a token without a team) reported as the given problem; the
 * message becomes its detail. Feature services throw their own exceptions, mapped in {@link
 * ApiExceptionHandler}.
 */
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
