package io.paybridge.simulator.billing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bank authorisation ({@code BAU...}): the payer's visit to their bank for a billing request's
 * {@code bank_authorisation} action (docs/gocardless/API.md §3.6).
 */
public class BankAuthorisation extends Resource {
  public String authorisationType;
  public String authorisedAt;
  public String expiresAt;
  public String lastVisitedAt;
  public Map<String, String> links = new LinkedHashMap<>();
  public String qrCodeUrl;
  public String redirectUri;
  public String url;

  @JsonIgnore public Instant expiry;

  /** {@code success}, {@code failure} or {@code timeout} once the payer is done. */
  @JsonIgnore public String outcome;
}
