package io.paybridge.simulator.mandates;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** A mandate ({@code MD...}). */
public class Mandate extends Resource {
  public String reference;
  public String scheme;
  public String status = "pending_submission";
  public String nextPossibleChargeDate;
  public String nextPossibleStandardAchChargeDate;
  public boolean paymentsRequireApproval;
  public String verifiedAt;
  public String authorisationSource;
  public String consentType;
  public Map<String, Object> consentParameters;
  public String fundsSettlement = "managed";
  public String mandateType = "bank_debit";
  public Map<String, String> metadata = new LinkedHashMap<>();
  public Map<String, String> links = new LinkedHashMap<>();

  /** Date on which a pending mandate is submitted to the banks. */
  @JsonIgnore public LocalDate submitOn;

  /** Date on which a submitted mandate becomes active. */
  @JsonIgnore public LocalDate activateOn;

  /**
   * True while a reinstatement is in progress (the activation event is then {@code reinstated}).
   */
  @JsonIgnore public boolean reinstating;

  @JsonIgnore public int resubmissions;

  public boolean isInactive() {
    return switch (status) {
      case "cancelled", "failed", "expired", "consumed", "blocked", "suspended_by_payer" -> true;
      default -> false;
    };
  }
}
