package io.paybridge.platform.outbox;

import java.time.Duration;
import java.util.Optional;

/**
 * Marks an exception as a failure of something the consumer depends on (an API answering 429 or
 * 5xx, a timeout), not of the record: the auto-configured {@link ConsumerErrorHandler} retries the
 * record for as long as such failures last and never dead-letters it for one. Implement it on a
 * client's own exception, or throw {@link TransientFailureException}.
 */
public interface TransientFailure {

  /**
   * How long the dependency asked to be left alone (an HTTP {@code Retry-After}, a rate limit's
   * reset), if it said; the next attempt waits at least this long.
   */
  default Optional<Duration> retryAfter() {
    return Optional.empty();
  }
}
