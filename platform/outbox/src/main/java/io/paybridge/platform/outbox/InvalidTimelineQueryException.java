package io.paybridge.platform.outbox;

/** A timeline question without ids, with too many, or with an id that cannot be one of ours. */
public class InvalidTimelineQueryException extends RuntimeException {

  public InvalidTimelineQueryException(String message) {
    super(message);
  }
}
