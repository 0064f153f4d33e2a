package io.paybridge.platform.outbox;

/**
 * Thrown by a consumer for a record that can never be applied (unreadable, or breaking the
 * contract). Such a record goes to the dead-letter topic at once, without retries.
 */
public class PoisonMessageException extends RuntimeException {

  public PoisonMessageException(String message) {
    super(message);
  }

  public PoisonMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
