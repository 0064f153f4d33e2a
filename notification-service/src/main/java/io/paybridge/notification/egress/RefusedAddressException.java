package io.paybridge.notification.egress;

/**
 * An endpoint's host resolved to an address outside the public internet (loopback, private,
 * link-local, metadata, ...) that is not allow-listed, or did not resolve at all.
 */
public class RefusedAddressException extends Exception {
  public RefusedAddressException(String message) {
    super(message);
  }
}
