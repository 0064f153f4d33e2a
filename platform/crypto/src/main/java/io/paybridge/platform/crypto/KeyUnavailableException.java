package io.paybridge.platform.crypto;

/** A ciphertext names, or a caller asks for, a key this instance does not hold. */
public class KeyUnavailableException extends RuntimeException {

  private final String keyId;

  public KeyUnavailableException(String keyId) {
    super("Encryption key '" + keyId + "' is not configured on this instance");
    this.keyId = keyId;
  }

  public String keyId() {
    return keyId;
  }
}
