package io.paybridge.billing.retry;

/** A policy outside the limits: nothing is stored. */
public class InvalidRetryPolicyException extends RuntimeException {
  public InvalidRetryPolicyException(String message) {
    super(message);
  }
}
