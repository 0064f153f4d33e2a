package io.paybridge.simulator.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON helpers: the simulator's mapper (snake_case, as on the wire) and typed reads from request
 * nodes.
 */
public final class Json {
  private Json() {}

  public static JsonMapper newMapper() {
    return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
  }

  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    return value.isValueNode() ? value.asString() : value.toString();
  }

  public static Long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isString()) {
      try {
        return Long.parseLong(value.asString());
      } catch (NumberFormatException e) {
        return Long.MIN_VALUE;
      }
    }
    return Long.MIN_VALUE;
  }

  public static Boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    return "true".equals(value.asString());
  }

  public static JsonNode object(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isObject() ? value : null;
  }

  /**
   * The {@code metadata} of {@code node} (an action's {@code data} or a resource's envelope),
   * validated: a 422 on the named envelope if it is not valid. Null when absent.
   */
  public static Map<String, String> validMetadata(JsonNode node, String envelope) {
    ApiException.Validation v = new ApiException.Validation(envelope);
    Map<String, String> metadata = metadata(node, null, v);
    v.throwIfInvalid();
    return metadata;
  }

  /**
   * Reads and validates {@code metadata}: string values, at most 3 keys, keys up to 50 and values
   * up to 500 characters (docs/gocardless/API.md §1.3). Returns null when absent.
   */
  public static Map<String, String> metadata(
      JsonNode node, String pointerPrefix, ApiException.Validation validation) {
    JsonNode value = node.get("metadata");
    if (value == null || value.isNull()) {
      return null;
    }
    String field = pointerPrefix == null ? "metadata" : pointerPrefix + ".metadata";
    if (!value.isObject()) {
      validation.field(field, "must be an object");
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isString()) {
        validation.field(field, "values must be strings");
        continue;
      }
      if (e.getKey().length() > 50) {
        validation.field(field, "key must be no more than 50 characters");
      }
      if (e.getValue().asString().length() > 500) {
        validation.field(field, "value must be no more than 500 characters");
      }
      result.put(e.getKey(), e.getValue().asString());
    }
    if (result.size() > 3) {
      validation.field(field, "must have no more than 3 keys");
    }
    return result;
  }
}
