package io.paybridge.simulator.webhooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.paybridge.simulator.internal.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook ({@code WB...}): one signed batch of events and what happened to its latest delivery
 * attempt, in the shape of GoCardless's {@code GET /webhooks/:id}.
 */
public class Webhook extends Resource {
  public String url;
  public boolean isTest;
  public String requestBody;
  public Map<String, String> requestHeaders = new LinkedHashMap<>();
  public String responseBody;
  public boolean responseBodyTruncated;
  public Integer responseCode;
  public Map<String, String> responseHeaders = new LinkedHashMap<>();
  public boolean responseHeadersContentTruncated;
  public boolean responseHeadersCountTruncated;
  public boolean successful;

  @JsonIgnore public List<String> eventIds = new ArrayList<>();
  @JsonIgnore public int attempts;
  @JsonIgnore public String lastError;
  @JsonIgnore public boolean retrying;
}
