package io.paybridge.notification.endpoint;

/** An endpoint URL or email address that is refused (problem invalid-endpoint). */
public class InvalidEndpointException extends RuntimeException {
  public InvalidEndpointException(String message) {
    super(message);
  }
}
