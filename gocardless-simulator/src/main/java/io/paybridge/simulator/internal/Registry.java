package io.paybridge.simulator.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** Insertion-ordered store of one resource type. Callers hold the simulator lock. */
public final class Registry<T extends Resource> {
  private final Map<String, T> items = new LinkedHashMap<>();

  public T add(T item) {
    items.put(item.id, item);
    return item;
  }

  public T get(String id) {
    return items.get(id);
  }

  /**
   * The resource if it exists and belongs to the organisation, else a 404 (other organisations' ids
   * are unknown).
   */
  public T find(String organisationId, String id) {
    T item = id == null ? null : items.get(id);
    if (item == null || !item.organisationId.equals(organisationId)) {
      throw ApiException.notFound();
    }
    return item;
  }

  /**
   * The resource a request body links to at {@code links.<link>}, if it exists and belongs to the
   * organisation; otherwise null, with {@code links.<link>} "is required" or "was not found" on
   * {@code v}.
   */
  public T linked(JsonNode body, String link, String organisationId, ApiException.Validation v) {
    JsonNode links = Json.object(body, "links");
    String id = links == null ? null : Json.text(links, link);
    T item = id == null ? null : items.get(id);
    if (item == null || !item.organisationId.equals(organisationId)) {
      v.field("links." + link, id == null ? "is required" : "was not found");
      return null;
    }
    return item;
  }

  /** Matching resources, newest first (GoCardless list order). */
  public List<T> list(Predicate<T> filter) {
    List<T> result = new ArrayList<>();
    for (T item : items.values()) {
      if (filter.test(item)) {
        result.add(item);
      }
    }
    java.util.Collections.reverse(result);
    return result;
  }

  public List<T> all() {
    return List.copyOf(items.values());
  }

  public void remove(String id) {
    items.remove(id);
  }
}
