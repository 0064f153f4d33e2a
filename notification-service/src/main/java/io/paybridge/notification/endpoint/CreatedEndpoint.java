package io.paybridge.notification.endpoint;

/**
 * The answer to creating an endpoint: the endpoint and, for a webhook, its signing secret ({@code
 * whsec_} + Base64), shown this once.
 */
public record CreatedEndpoint(EndpointView endpoint, String secret) {

  /** Without the secret: a debug log of the response must not show it. */
  @Override
  public String toString() {
    return "CreatedEndpoint[endpoint="
        + endpoint
        + ", secret="
        + (secret == null ? null : "***")
        + "]";
  }
}
