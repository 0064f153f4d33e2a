package io.paybridge.notification.delivery;

/** A replay request that cannot be carried out as asked. */
class InvalidReplayException extends RuntimeException {
  InvalidReplayException(String message) {
    super(message);
  }
}
