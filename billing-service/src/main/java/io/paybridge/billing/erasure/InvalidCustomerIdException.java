package io.paybridge.billing.erasure;

/** The path names no GoCardless customer id ({@code CU} and letters or digits). */
public class InvalidCustomerIdException extends RuntimeException {

  public InvalidCustomerIdException(String customerId) {
    super(
        "'"
            + (customerId.length() > 40 ? customerId.substring(0, 40) + "…" : customerId)
            + "' is not a GoCardless customer id (CU followed by letters and digits)");
  }
}
