package io.paybridge.simulator.events;

import io.paybridge.simulator.internal.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event ({@code EV...}). {@code links} and {@code details} are sparse, as GoCardless sends them:
 * only the keys that apply to this event.
 */
public class Event extends Resource {
  public String resourceType;
  public String action;
  public Map<String, String> links = new LinkedHashMap<>();
  public Map<String, Object> details = new LinkedHashMap<>();
  public Map<String, String> metadata = new LinkedHashMap<>();
  public Map<String, String> resourceMetadata = new LinkedHashMap<>();
}
