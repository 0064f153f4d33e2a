package io.paybridge.oauth.web;

/** A failure that the API reports as the given problem; the message becomes its detail. */
public class ProblemException extends RuntimeException {

  private final ProblemType problem;

  public ProblemException(ProblemType problem, String detail) {
    super(detail);
    this.problem = problem;
  }

  public ProblemType problem() {
    return problem;
  }
}
