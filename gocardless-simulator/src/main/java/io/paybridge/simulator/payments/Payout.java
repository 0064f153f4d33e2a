package io.paybridge.simulator.payments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** A payout ({@code PO...}) of paid-out payments to the creditor. */
public class Payout extends Resource {
  public long amount;
  public String arrivalDate;
  public String currency;
  public long deductedFees;
  public String payoutType = "merchant";
  public String reference;
  public String status = "pending";
  public String taxCurrency;
  public Map<String, Object> fx = new LinkedHashMap<>();
  public Map<String, String> metadata = new LinkedHashMap<>();
  public Map<String, String> links = new LinkedHashMap<>();

  @JsonIgnore public LocalDate payoutDate;
}
