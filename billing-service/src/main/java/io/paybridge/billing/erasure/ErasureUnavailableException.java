package io.paybridge.billing.erasure;

/** Erasure cannot be requested: the service lacks its configuration (the pseudonym key). */
public class ErasureUnavailableException extends RuntimeException {

  public ErasureUnavailableException(String message) {
    super(message);
  }
}
