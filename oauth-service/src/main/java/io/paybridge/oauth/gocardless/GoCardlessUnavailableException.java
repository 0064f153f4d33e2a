package io.paybridge.oauth.gocardless;

/** GoCardless could not be reached or failed on its side (network error, 5xx, 429). */
public class GoCardlessUnavailableException extends RuntimeException {

  public GoCardlessUnavailableException(String message) {
    super(message);
  }
}
