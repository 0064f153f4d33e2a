package io.paybridge.platform.operations.deadletters;

/**
 * Kafka could not be read or written in time. A replay cut short may have sent some of its records:
 * asking for it again is safe (a replayed record is applied at most once).
 */
public class DeadLettersUnavailableException extends RuntimeException {

  public DeadLettersUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
