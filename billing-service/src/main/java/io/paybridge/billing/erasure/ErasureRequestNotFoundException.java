package io.paybridge.billing.erasure;

/** No erasure request with this id. */
public class ErasureRequestNotFoundException extends RuntimeException {

  public ErasureRequestNotFoundException(String requestId) {
    super("No erasure request " + requestId);
  }
}
