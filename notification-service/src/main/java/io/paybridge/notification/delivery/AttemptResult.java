package io.paybridge.notification.delivery;

import java.time.Duration;

/**
 * What one attempt came to.
 *
 * @param statusCode the receiver's HTTP status, or null (no answer, or email)
 * @param responseExcerpt the start of the receiver's answer, bounded; null when none
 * @param error why it failed, without secrets; null on success
 */
record AttemptResult(
    Outcome outcome, Integer statusCode, Duration latency, String responseExcerpt, String error) {

  enum Outcome {
    SUCCEEDED,
    /** A status other than 2xx, 3xx and 410. */
    HTTP_ERROR,
    /** 410 Gone: the receiver asks to be disabled. */
    GONE,
    /** 3xx: redirects are not followed (the target could be anywhere). */
    REDIRECT,
    TIMEOUT,
    NETWORK_ERROR,
    /** The host resolved to an address that may not be reached (SSRF guard). */
    REFUSED_ADDRESS,
    SMTP_ERROR;

    String column() {
      return name().toLowerCase();
    }
  }

  boolean succeeded() {
    return outcome == Outcome.SUCCEEDED;
  }

  static AttemptResult failed(Outcome outcome, Duration latency, String error) {
    return new AttemptResult(outcome, null, latency, null, error);
  }
}
