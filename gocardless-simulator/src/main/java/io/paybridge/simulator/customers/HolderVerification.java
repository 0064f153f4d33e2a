package io.paybridge.simulator.customers;

import io.paybridge.simulator.internal.Resource;

/**
 * A bank account holder verification ({@code BAHV...}, Confirmation of Payee): does the name given
 * for a bank account match the name its bank holds (docs/gocardless/API.md §3.9)?
 */
public class HolderVerification extends Resource {
  public String actualAccountName;
  public String result;
  public String status = "completed";
  public String type = "confirmation_of_payee";
}
