package io.paybridge.billing.retry;

/** A retry decision was asked for a payment whose last known status is not failed. */
public class PaymentNotFailedException extends RuntimeException {
  public PaymentNotFailedException(String paymentId, String status) {
    super("Payment " + paymentId + " is " + status + ", not failed: there is nothing to retry");
  }
}
