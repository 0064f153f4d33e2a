package io.paybridge.billing.refund;

/** A refund would take the payment's refunds past its amount: nothing is sent to GoCardless. */
public class RefundExceedsPaymentException extends RuntimeException {
  public RefundExceedsPaymentException(
      String paymentId, long amount, long refunded, long paymentAmount) {
    super(
        "Payment "
            + paymentId
            + " has "
            + (paymentAmount - refunded)
            + " left to refund (of "
            + paymentAmount
            + "), less than the "
            + amount
            + " asked for");
  }
}
