package io.paybridge.oauth.gocardless;

import io.paybridge.platform.outbox.TransientFailureException;

/**
 * GoCardless could not be reached or failed on its side (network error, 5xx, 429). Transient: a
 * consumer handler that meets it retries the event until GoCardless answers, never dead-letters it.
 */
public class GoCardlessUnavailableException extends TransientFailureException {

  public GoCardlessUnavailableException(String message) {
    super(message);
  }
}
