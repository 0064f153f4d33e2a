package io.paybridge.webhookingest.webhook;

/** A delivery refused before anything of it was stored. */
class WebhookRejectedException extends RuntimeException {

  final WebhookProblem problem;

  WebhookRejectedException(WebhookProblem problem, String detail) {
    super(detail);
    this.problem = problem;
  }
}
