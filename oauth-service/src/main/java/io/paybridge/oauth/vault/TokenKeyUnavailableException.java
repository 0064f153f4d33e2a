package io.paybridge.oauth.vault;

/**
 * This instance does not hold the key a token needs: the key a stored token was encrypted with, or
 * the cluster's active key for a new one. A configuration fault of this instance (its secret store
 * lacks a key the cluster uses), not of the token; another instance may succeed.
 */
public class TokenKeyUnavailableException extends RuntimeException {

  private final String keyId;

  public TokenKeyUnavailableException(String keyId) {
    super("Token encryption key '" + keyId + "' is not configured on this instance");
    this.keyId = keyId;
  }

  public String keyId() {
    return keyId;
  }
}
