package io.paybridge.simulator.billing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A billing request flow ({@code BRF...}): the hosted payer journey for one billing request. */
public class BillingRequestFlow extends Resource {
  public String authorisationUrl;
  public boolean autoFulfil = true;
  public String redirectUri;
  public String exitUri;
  public String expiresAt;
  public String language = "en";
  public boolean lockBankAccount;
  public boolean lockCurrency;
  public boolean lockCustomerDetails;
  public boolean customerDetailsCaptured;
  public Map<String, String> prefilledBankAccount;
  public Map<String, String> prefilledCustomer;
  public String sessionToken;
  public boolean showRedirectButtons;
  public boolean showSuccessRedirectButton;
  public boolean skipSuccessScreen;
  public Map<String, String> links = new LinkedHashMap<>();

  @JsonIgnore public Instant expiry;
  @JsonIgnore public boolean visited;
  @JsonIgnore public boolean expired;
}
