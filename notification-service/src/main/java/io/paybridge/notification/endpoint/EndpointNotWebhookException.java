package io.paybridge.notification.endpoint;

/** A webhook-only action (secret rotation) on an email endpoint. */
public class EndpointNotWebhookException extends RuntimeException {
  public EndpointNotWebhookException(String id) {
    super("Endpoint " + id + " is an email address: it has no signing secret");
  }
}
