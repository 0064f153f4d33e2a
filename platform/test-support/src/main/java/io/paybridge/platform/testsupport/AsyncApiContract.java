package io.paybridge.platform.testsupport;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.KafkaTestConsumer.Received;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The AsyncAPI 3 document of the platform's topics (docs/asyncapi.yaml), as a judge of produced
 * records: a record matches when its topic is a channel's address and its headers and value are
 * accepted by the JSON Schemas (draft 2020-12) of that channel's message. On a channel with several
 * messages, the message is the one named as the record's {@code eventType} header.
 */
public final class AsyncApiContract {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JsonNode document;
  private final Map<String, JsonNode> channelByAddress = new LinkedHashMap<>();
  private final SchemaRegistry schemas =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private AsyncApiContract(JsonNode document) {
    this.document = document;
    document
        .path("channels")
        .properties()
        .forEach(
            channel ->
                channelByAddress.put(
                    channel.getValue().path("address").asString(), channel.getValue()));
  }

  /** Reads the document at {@code path}, e.g. {@code ../docs/asyncapi.yaml} from a service. */
  public static AsyncApiContract load(Path path) {
    try {
      return new AsyncApiContract(new YAMLMapper().readTree(Files.readString(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document itself, e.g. to check its structure. */
  public JsonNode document() {
    return document;
  }

  /**
   * Every channel address, parameterised ones (e.g. {@code {topic}.{consumerGroup}.dlt}) included.
   */
  public Set<String> addresses() {
    return channelByAddress.keySet();
  }

  /** The names of the messages of the channel at {@code address}, in document order. */
  public List<String> messageNames(String address) {
    var names = new ArrayList<String>();
    JsonNode channel = channelByAddress.get(address);
    if (channel != null) {
      channel.path("messages").values().forEach(m -> names.add(resolve(m).path("name").asString()));
    }
    return names;
  }

  /** What in {@code record} the document does not accept; empty when it matches. */
  public List<String> violations(Received record) {
    return violations(record.topic(), record.headers(), record.value());
  }

  /**
   * What in a record of {@code topic} with {@code headers} and {@code value} the document does not
   * accept; empty when it matches.
   */
  public List<String> violations(String topic, Map<String, String> headers, String value) {
    JsonNode channel = channelByAddress.get(topic);
    if (channel == null) {
      return List.of("no channel for topic " + topic);
    }
    List<JsonNode> messages = new ArrayList<>();
    channel.path("messages").values().forEach(m -> messages.add(resolve(m)));
    JsonNode message;
    if (messages.size() == 1) {
      message = messages.getFirst();
    } else {
      String eventType = headers.get(EventHeaders.EVENT_TYPE);
      message =
          messages.stream()
              .filter(m -> m.path("name").asString().equals(eventType))
              .findFirst()
              .orElse(null);
      if (message == null) {
        return List.of("no message named " + eventType + " on channel " + topic);
      }
    }
    var violations = new ArrayList<String>();
    schema(message.path("headers"))
        .validate(JSON.valueToTree(headers))
        .forEach(error -> violations.add("header: " + error));
    JsonNode payload;
    try {
      payload = value == null ? JSON.nullNode() : JSON.readTree(value);
    } catch (RuntimeException e) {
      violations.add("value is not JSON: " + e.getMessage());
      return violations;
    }
    schema(message.path("payload"))
        .validate(payload)
        .forEach(error -> violations.add("payload: " + error));
    return violations;
  }

  /**
   * The schema at {@code node}, with the document's {@code components} carried along so that its
   * {@code #/components/...} references resolve inside it.
   */
  private Schema schema(JsonNode node) {
    // A message without headers or payload says nothing of them: the empty schema accepts all.
    ObjectNode schema =
        resolve(node) instanceof ObjectNode object ? object.deepCopy() : JSON.createObjectNode();
    schema.set("components", document.path("components"));
    return schemas.getSchema(JSON.writeValueAsString(schema));
  }

  /** Follows local {@code $ref}s ({@code #/...}) to the node they name. */
  private JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) {
      String pointer = node.path("$ref").asString();
      if (!pointer.startsWith("#/")) {
        throw new IllegalArgumentException("Only local references are supported: " + pointer);
      }
      JsonNode target = document.at(pointer.substring(1));
      if (target.isMissingNode()) {
        throw new IllegalArgumentException(pointer + " names nothing in the document");
      }
      node = target;
    }
    return node;
  }
}
