package io.paybridge.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strimzi.api.kafka.model.common.UnknownPropertyPreserving;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A Strimzi resource read into Strimzi's own model classes (io.strimzi:api, from which Strimzi
 * generates its CRDs' schemas): a value of the wrong type fails to read, and a property the model
 * does not know (kept aside by the model instead of being refused) is reported with its path. The
 * CRDs' own constraints (minimums, enums given as strings) are not checked: deploy/README.md.
 */
final class StrimziModel {

  private static final ObjectMapper JACKSON = new ObjectMapper();
  private static final Map<String, Class<?>> TYPES =
      Map.of(
          "Kafka",
          Kafka.class,
          "KafkaNodePool",
          KafkaNodePool.class,
          "KafkaTopic",
          KafkaTopic.class);

  private StrimziModel() {}

  static List<String> problems(JsonNode doc) {
    String kind = doc.path("kind").asString();
    String where = kind + " " + doc.path("metadata").path("name").asString();
    var problems = new ArrayList<String>();
    Class<?> type = TYPES.get(kind);
    if (type == null) {
      problems.add(where + ": not a Strimzi kind this check knows");
      return problems;
    }
    Object model;
    try {
      model = JACKSON.readValue(doc.toString(), type);
    } catch (Exception e) {
      problems.add(where + ": " + e.getMessage());
      return problems;
    }
    walk(model, where, problems, 0);
    return problems.stream().distinct().toList();
  }

  private static void walk(Object value, String path, List<String> problems, int depth) {
    if (value == null || depth > 40) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", problems, depth + 1);
      }
      return;
    }
    Class<?> type = value.getClass();
    String pkg = type.getPackageName();
    if (!pkg.startsWith("io.strimzi.") && !pkg.startsWith("io.fabric8.")) {
      return; // strings, numbers, maps of free-form config
    }
    if (value instanceof UnknownPropertyPreserving preserving
        && preserving.getAdditionalProperties() != null
        && !preserving.getAdditionalProperties().isEmpty()) {
      problems.add(path + ": unknown properties " + preserving.getAdditionalProperties().keySet());
    }
    for (Method getter : type.getMethods()) {
      String name = getter.getName();
      if (getter.getParameterCount() != 0
          || getter.isBridge()
          || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class
          || name.equals("getAdditionalProperties")
          || !(name.startsWith("get") && name.length() > 3)) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (child instanceof Map<?, ?> map && !name.equals("getConfig")) {
        // fabric8's ObjectMeta keeps unknown properties in a map of its own
        if (name.equals("getAdditionalProperties")) {
          continue;
        }
        map.values().forEach(v -> walk(v, path + "." + name.substring(3), problems, depth + 1));
        continue;
      }
      walk(
          child,
          path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4),
          problems,
          depth + 1);
    }
    try {
      Method additional = type.getMethod("getAdditionalProperties");
      if (!(value instanceof UnknownPropertyPreserving)
          && additional.invoke(value) instanceof Map<?, ?> extra
          && !extra.isEmpty()) {
        problems.add(path + ": unknown properties " + extra.keySet());
      }
    } catch (ReflectiveOperationException e) {
      // no such map on this type
    }
  }
}
