package io.paybridge.simulator.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A subscription ({@code SB...}), fields per docs/gocardless/API.md §4.5 and its fixture. */
public class Subscription extends Resource {
  public long amount;
  public Long appFee;
  public Integer count;
  public String currency;
  public Integer dayOfMonth;
  public String earliestChargeDateAfterResume;
  public String endDate;
  public int interval = 1;
  public String intervalUnit;
  public Map<String, String> links = new LinkedHashMap<>();
  public Map<String, String> metadata = new LinkedHashMap<>();
  public String month;
  public String name;
  public boolean parentPlanPaused;
  public String paymentReference;
  public boolean retryIfPossible;
  public String startDate;
  public String status = "active";

  /** The next (at most 10) payments it will create; filled when rendered. */
  public List<Map<String, Object>> upcomingPayments = new ArrayList<>();

  /** The first nominal collection date; cycle {@code k} is counted from it. */
  @JsonIgnore public LocalDate first;

  /** The cycle whose payment is created next. */
  @JsonIgnore public int nextCycle;

  /** Payments created so far (a {@code count} limits these; skipped cycles do not count). */
  @JsonIgnore public int paymentsCreated;

  /** While paused for a number of cycles: the cycle at which it resumes by itself. */
  @JsonIgnore public Integer resumeAtCycle;

  /** Amount changes so far (GoCardless allows 10). */
  @JsonIgnore public int amendments;
}
