package io.paybridge.simulator.creditors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A creditor ({@code CR...}), wire fields per the creditors fixture and example 13. */
public class Creditor extends Resource {
  public String name;
  public String creditorType = "company";
  public String addressLine1 = "338-346 Goswell Road";
  public String addressLine2;
  public String addressLine3;
  public String city = "London";
  public String region;
  public String postalCode = "EC1V 7LQ";
  public String countryCode = "GB";
  public String logoUrl;
  public String bankReferencePrefix;
  public String verificationStatus;

  /** On for every simulated creditor, so that refunds can be exercised (README). */
  public boolean canCreateRefunds = true;

  public String fxPayoutCurrency;
  public boolean customPaymentPagesEnabled = true;
  public boolean mandateImportsEnabled;
  public boolean merchantResponsibleForNotifications;
  public List<SchemeIdentifier> schemeIdentifiers = new ArrayList<>();
  public Map<String, String> links = new LinkedHashMap<>();

  /**
   * When the review of details submitted on the verification page ends ({@code in_review →
   * successful}); null when no such review is running. Never on the wire.
   */
  @JsonIgnore public Instant reviewEndsAt;

  /** A scheme identifier the creditor collects under. */
  public static class SchemeIdentifier {
    public String id;
    public String createdAt;
    public String name = "GoCardless";
    public String scheme;
    public String reference;
    public String status = "active";
    public String currency;
    public int minimumAdvanceNotice;
    public boolean canSpecifyMandateReference;
    public String addressLine1 = "Sutton Yard";
    public String addressLine2 = "65 Goswell Road";
    public String addressLine3;
    public String city = "London";
    public String region;
    public String postalCode = "EC1V 7EN";
    public String countryCode = "GB";
    public String email = "help@gocardless.com";
    public String phoneNumber = "+44 20 7183 8674";
  }
}
