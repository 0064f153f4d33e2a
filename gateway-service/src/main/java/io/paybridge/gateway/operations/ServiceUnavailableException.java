package io.paybridge.gateway.operations;

/** A service did not answer an operator's request that the gateway passes on to it alone. */
class ServiceUnavailableException extends RuntimeException {

  private final String service;

  ServiceUnavailableException(String service) {
    super(service + " did not answer");
    this.service = service;
  }

  String service() {
    return service;
  }
}
