package io.paybridge.billing.idempotency;

/** A team's Idempotency-Key came again with another request: nothing is created. */
public class IdempotencyKeyReusedException extends RuntimeException {
  public IdempotencyKeyReusedException(String operation) {
    super("This Idempotency-Key was already used for another " + operation + " request");
  }
}
