package io.paybridge.gateway.operations;

/** A timeline question without an id, or with something that cannot be one. */
class InvalidOperationsQueryException extends RuntimeException {

  InvalidOperationsQueryException(String message) {
    super(message);
  }
}
