package io.paybridge.platform.outbox;

import java.time.Duration;
import java.util.Optional;

/**
 * Thrown by a consumer when a dependency fails for now (rate limited, 5xx, unreachable): the record
 * is retried with back-off until it passes, keeping its partition's order, and is never
 * dead-lettered for this.
 */
public class TransientFailureException extends RuntimeException implements TransientFailure {

  private final transient Duration retryAfter;

  public TransientFailureException(String message) {
    this(message, null, null);
  }

  public TransientFailureException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /**
   * @param retryAfter how long the dependency asked to be left alone, or {@code null}
   */
  public TransientFailureException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  @Override
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
