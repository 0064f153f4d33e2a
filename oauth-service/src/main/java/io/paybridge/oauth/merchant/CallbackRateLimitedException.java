package io.paybridge.oauth.merchant;

import java.time.Duration;

/** An address has caused too many refused callbacks; it may try again after {@link #retryAfter}. */
final class CallbackRateLimitedException extends RuntimeException {

  final Duration retryAfter;

  CallbackRateLimitedException(Duration retryAfter) {
    super("too many refused callbacks", null, false, false);
    this.retryAfter = retryAfter;
  }
}
