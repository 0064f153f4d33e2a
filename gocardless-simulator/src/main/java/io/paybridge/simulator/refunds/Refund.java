package io.paybridge.simulator.refunds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refund ({@code RF...}) of a payment, fields per docs/gocardless/API.md §4.7 and its fixture.
 */
public class Refund extends Resource {
  public long amount;
  public String currency;
  public Map<String, Object> fx = new LinkedHashMap<>();
  public Map<String, String> links = new LinkedHashMap<>();
  public Map<String, String> metadata = new LinkedHashMap<>();
  public String reference;
  public String status = "pending_submission";

  /** When it is submitted to the banks, then paid (working days). */
  @JsonIgnore public LocalDate submitOn;

  @JsonIgnore public LocalDate paidOn;

  public Refund() {
    fx.put("fx_currency", null);
    fx.put("fx_amount", null);
    fx.put("exchange_rate", null);
    fx.put("estimated_exchange_rate", null);
  }
}
