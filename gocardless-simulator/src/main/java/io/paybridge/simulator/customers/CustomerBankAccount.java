package io.paybridge.simulator.customers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/** A customer bank account ({@code BA...}); full account numbers are kept but never shown. */
public class CustomerBankAccount extends Resource {
  public String accountHolderName;
  public String accountNumberEnding;
  public String accountType;
  public String bankName;
  public String countryCode;
  public String currency;
  public boolean enabled = true;
  public Map<String, String> metadata = new LinkedHashMap<>();
  public Map<String, String> links = new LinkedHashMap<>();
  public String bankAccountToken;
  public String payerNameVerificationResult;
  public boolean trustedRecipient;

  @JsonIgnore public String accountNumber;
  @JsonIgnore public String branchCode;
  @JsonIgnore public String iban;
}
