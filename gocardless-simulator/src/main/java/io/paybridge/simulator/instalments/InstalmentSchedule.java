package io.paybridge.simulator.instalments;

import io.paybridge.simulator.internal.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instalment schedule ({@code IS...}), fields per docs/gocardless/API.md §4.6 and its fixture.
 */
public class InstalmentSchedule extends Resource {
  public String currency;
  public Links links = new Links();
  public Map<String, String> metadata = new LinkedHashMap<>();
  public String name;

  /** Per instalment index, the errors that made creation fail ({@code creation_failed}). */
  public Map<String, List<Map<String, String>>> paymentErrors = new LinkedHashMap<>();

  public String status = "pending";
  public long totalAmount;

  /** {@code links}: its customer, mandate and the payments it created. */
  public static class Links {
    public String customer;
    public String mandate;
    public List<String> payments = new ArrayList<>();
  }
}
