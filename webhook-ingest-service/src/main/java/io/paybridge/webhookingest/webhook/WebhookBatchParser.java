package io.paybridge.webhookingest.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads a GoCardless webhook body ({@code {"events": [...], "meta": {...}}}) into its events, each
 * with its JSON sliced from the body as sent (never re-serialised), and its routing facts.
 */
final class WebhookBatchParser {

  /** Prefix of the ids given to events that GoCardless sends with {@code "id": null}. */
  static final String SYNTHETIC_ID_PREFIX = "synthetic-";

  private final ObjectMapper mapper;

  WebhookBatchParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * @throws InvalidWebhookException when the body is not UTF-8 JSON, or not a GoCardless webhook
   */
  WebhookBatch parse(byte[] body) {
    String text = decodeUtf8(body);
    var slices = new ArrayList<String>();
    String webhookId = null;
    boolean sawEvents = false;
    try (JsonParser parser = mapper.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidWebhookException("The body is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "events" -> {
            if (value != JsonToken.START_ARRAY) {
              throw new InvalidWebhookException("'events' is not an array");
            }
            sawEvents = true;
            readEventSlices(parser, text, slices);
          }
          case "meta" -> webhookId = readWebhookId(parser, value);
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new InvalidWebhookException("Unexpected content after the JSON object");
      }
    } catch (JacksonException e) {
      throw new InvalidWebhookException("The body is not valid JSON: " + e.getOriginalMessage());
    }
    if (!sawEvents) {
      throw new InvalidWebhookException("The body has no 'events' array");
    }
    var events = new ArrayList<GoCardlessEvent>(slices.size());
    for (int i = 0; i < slices.size(); i++) {
      events.add(toEvent(slices.get(i), i));
    }
    return new WebhookBatch(webhookId, List.copyOf(events));
  }

  /** {@code meta.webhook_id}, read in place: the parser stays inside the document. */
  private static String readWebhookId(JsonParser parser, JsonToken meta) {
    if (meta != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return null;
    }
    String webhookId = null;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("webhook_id".equals(name) && value == JsonToken.VALUE_STRING) {
        webhookId = parser.getString();
      } else {
        parser.skipChildren();
      }
    }
    return webhookId;
  }

  private static void readEventSlices(JsonParser parser, String text, List<String> slices) {
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_OBJECT) {
        throw new InvalidWebhookException("Event " + slices.size() + " is not a JSON object");
      }
      int start = (int) parser.currentTokenLocation().getCharOffset();
      parser.skipChildren();
      int end = (int) parser.currentLocation().getCharOffset();
      slices.add(text.substring(start, end));
    }
  }

  private GoCardlessEvent toEvent(String json, int index) {
    JsonNode event = mapper.readTree(json);
    String resourceType = stringOrNull(event, "resource_type");
    String action = stringOrNull(event, "action");
    if (resourceType == null || resourceType.isBlank() || action == null || action.isBlank()) {
      throw new InvalidWebhookException("Event " + index + " has no resource_type or action");
    }
    JsonNode idNode = event.path("id");
    if (!idNode.isMissingNode() && !idNode.isNull() && !idNode.isString()) {
      throw new InvalidWebhookException("Event " + index + " has an id that is not a string");
    }
    JsonNode linksNode = event.path("links");
    Map<String, String> links = new TreeMap<>();
    if (linksNode.isObject()) {
      for (var link : linksNode.properties()) {
        if (link.getValue().isString()) {
          links.put(link.getKey(), link.getValue().stringValue());
        }
      }
    }
    String createdAt = stringOrNull(event, "created_at");
    String organisationId = links.get("organisation");
    String id = idNode.isString() && !idNode.stringValue().isBlank() ? idNode.stringValue() : null;
    boolean synthetic = id == null;
    if (synthetic) {
      id = syntheticId(resourceType, action, createdAt, links);
    }
    if (id.length() > 64) {
      throw new InvalidWebhookException("Event " + index + " has an id longer than 64 characters");
    }
    String resourceId = links.get(singular(resourceType));
    if (resourceId == null) {
      resourceId = organisationId != null ? organisationId : id;
    }
    return new GoCardlessEvent(
        id,
        synthetic,
        resourceType,
        action,
        resourceId,
        organisationId,
        instantOrNull(createdAt),
        json);
  }

  /**
   * A deterministic id for an event GoCardless sends without one: the same event delivered again
   * gets the same id, so its duplicates are caught like any other's.
   */
  static String syntheticId(
      String resourceType, String action, String createdAt, Map<String, String> sortedLinks) {
    var identity = new StringBuilder();
    identity.append(resourceType).append('\n').append(action).append('\n').append(createdAt);
    sortedLinks.forEach(
        (key, value) -> identity.append('\n').append(key).append('=').append(value));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(identity.toString().getBytes(StandardCharsets.UTF_8));
      return SYNTHETIC_ID_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code payments} → {@code payment}: the {@code links} key of the resource an event is about.
   */
  static String singular(String resourceType) {
    return resourceType.endsWith("s")
        ? resourceType.substring(0, resourceType.length() - 1)
        : resourceType;
  }

  private static String stringOrNull(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.stringValue() : null;
  }

  private static Instant instantOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String decodeUtf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidWebhookException("The body is not UTF-8");
    }
  }

  /** A parsed webhook delivery. */
  record WebhookBatch(String webhookId, List<GoCardlessEvent> events) {}
}
