package io.paybridge.oauth.gocardless;

/**
 * GoCardless refused a call (4xx): a bad or reused code ({@code invalid_grant}), a revoked token
 * ({@code unauthorized}), wrong client credentials ({@code invalid_client}).
 */
public class GoCardlessRejectedException extends RuntimeException {

  private final int status;
  private final String error;

  public GoCardlessRejectedException(int status, String error) {
    super("GoCardless answered " + status + " " + error);
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  /** GoCardless's error code ({@code invalid_grant}, {@code unauthorized}, ...). */
  public String error() {
    return error;
  }
}
