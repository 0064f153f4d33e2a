package io.paybridge.notification.endpoint;

/** Where an endpoint's deliveries go. */
public enum EndpointKind {
  /** An HTTPS URL that receives Standard Webhooks deliveries. */
  WEBHOOK,
  /** An email address that receives the facts a person must act on. */
  EMAIL;

  String column() {
    return name().toLowerCase();
  }

  static EndpointKind ofColumn(String value) {
    return valueOf(value.toUpperCase());
  }
}
