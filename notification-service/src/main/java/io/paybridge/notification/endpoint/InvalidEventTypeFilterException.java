package io.paybridge.notification.endpoint;

/** An event-type filter that is none of the accepted forms (problem invalid-event-type-filter). */
public class InvalidEventTypeFilterException extends RuntimeException {
  public InvalidEventTypeFilterException(String message) {
    super(message);
  }
}
