package io.paybridge.simulator.payments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** A payment ({@code PM...}). */
public class Payment extends Resource {
  public long amount;
  public long amountRefunded;
  public Long appFee;
  public String chargeDate;
  public String currency;
  public String description;
  public String reference;
  public String scheme;
  public String status = "pending_submission";
  public boolean retryIfPossible;
  public boolean fasterAch;
  public Map<String, String> metadata = new LinkedHashMap<>();
  public Map<String, Object> fx = emptyFx();
  public Map<String, String> links = new LinkedHashMap<>();

  /** Instant bank payment (Pay by Bank) from a billing request's payment request: no mandate. */
  @JsonIgnore public boolean instant;

  /** Retries so far (manual and automatic); GoCardless allows 3. */
  @JsonIgnore public int retries;

  /** What the bank will do with this collection, from a name-triggered sandbox scenario. */
  @JsonIgnore public String fate;

  /**
   * {@code psu_interaction_type} as the creator sent it ({@code in_session}: the payer is present;
   * {@code off_session}: merchant-initiated); null when not sent. A request field only: GoCardless
   * documents no such field in the payment it returns.
   */
  @JsonIgnore public String psuInteractionType;

  public LocalDate chargeDate() {
    return LocalDate.parse(chargeDate);
  }

  private static Map<String, Object> emptyFx() {
    Map<String, Object> fx = new LinkedHashMap<>();
    fx.put("fx_currency", null);
    fx.put("fx_amount", null);
    fx.put("exchange_rate", null);
    fx.put("estimated_exchange_rate", null);
    return fx;
  }
}
