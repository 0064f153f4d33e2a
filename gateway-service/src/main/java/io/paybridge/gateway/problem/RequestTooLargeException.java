package io.paybridge.gateway.problem;

/** A request body over its route's limit: answered 413 {@code request-too-large}. */
public class RequestTooLargeException extends RuntimeException {

  public RequestTooLargeException(String message) {
    super(message, null, false, false);
  }
}
