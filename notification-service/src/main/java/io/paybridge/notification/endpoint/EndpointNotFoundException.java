package io.paybridge.notification.endpoint;

/** No endpoint with this id for the caller's team: another team's is not found either. */
public class EndpointNotFoundException extends RuntimeException {
  public EndpointNotFoundException(String id) {
    super("No endpoint " + id);
  }
}
