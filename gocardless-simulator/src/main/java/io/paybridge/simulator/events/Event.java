package io.paybridge.simulator.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.paybridge.simulator.internal.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event ({@code EV...}). {@code links} and {@code details} are sparse, as GoCardless sends them:
 * only the keys that apply to this event; {@code source} only on events an API call caused.
 */
public class Event extends Resource {
  public String resourceType;
  public String action;
  public Map<String, String> links = new LinkedHashMap<>();
  public Map<String, Object> details = new LinkedHashMap<>();
  public Map<String, String> metadata = new LinkedHashMap<>();
  public Map<String, String> resourceMetadata = new LinkedHashMap<>();

  /** Who caused it through the API ({@code type} app or access_token, {@code name}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Map<String, String> source;
}
