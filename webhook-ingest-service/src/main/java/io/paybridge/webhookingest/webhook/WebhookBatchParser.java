package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.events.IsoInstants;
import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.gocardless.GoCardlessEventFields;
import io.paybridge.platform.events.gocardless.GoCardlessRecord;
import io.paybridge.platform.events.gocardless.GoCardlessRecords;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads a GoCardless webhook body ({@code {"events": [...], "meta": {...}}}) into its events, each
 * with its JSON sliced from the body as sent (never re-serialised), and its routing facts. Nothing
 * here throws on content: a body that is not a webhook, or an event that cannot be routed, is
 * reported as such so that the delivery is stored and the rest of it published.
 */
@Component
final class WebhookBatchParser {

  private final ObjectMapper mapper;

  WebhookBatchParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The body's events, or why it is not a GoCardless webhook at all. */
  ParsedBody parse(byte[] body) {
    try {
      return parseOrThrow(body);
    } catch (InvalidWebhookException e) {
      return new ParsedBody.Malformed(e.getMessage());
    }
  }

  private ParsedBody.Batch parseOrThrow(byte[] body) {
    String text = decodeUtf8(body);
    var slices = new ArrayList<Slice>();
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
    var events = new ArrayList<ParsedEvent>(slices.size());
    for (int i = 0; i < slices.size(); i++) {
      Slice slice = slices.get(i);
      events.add(
          slice.isObject()
              ? parseEvent(slice.json(), i)
              : new ParsedEvent.Rejected(
                  i,
                  slice.json(),
                  QuarantineReason.NOT_AN_OBJECT,
                  "Event " + i + " is not a JSON object",
                  null));
    }
    return new ParsedBody.Batch(webhookId, List.copyOf(events));
  }

  /**
   * The raw text of the top-level property {@code name} of the JSON object {@code json} (as
   * written, not re-serialised), or {@code null} when absent or {@code null}.
   *
   * @throws InvalidWebhookException when {@code json} is not a JSON object
   */
  String rawProperty(String json, String name) {
    try (JsonParser parser = mapper.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidWebhookException("Not a JSON object");
      }
      String found = null;
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        boolean wanted = name.equals(parser.currentName());
        JsonToken value = parser.nextToken();
        int start = (int) parser.currentTokenLocation().getCharOffset();
        finish(parser, value);
        int end = (int) parser.currentLocation().getCharOffset();
        if (wanted && value != JsonToken.VALUE_NULL) {
          found = json.substring(start, end);
        }
      }
      if (parser.nextToken() != null) {
        throw new InvalidWebhookException("Unexpected content after the JSON object");
      }
      return found;
    } catch (JacksonException e) {
      throw new InvalidWebhookException("Not valid JSON: " + e.getOriginalMessage());
    }
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

  private static void readEventSlices(JsonParser parser, String text, List<Slice> slices) {
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      int start = (int) parser.currentTokenLocation().getCharOffset();
      finish(parser, token);
      int end = (int) parser.currentLocation().getCharOffset();
      slices.add(new Slice(text.substring(start, end), token == JsonToken.START_OBJECT));
    }
  }

  /**
   * Moves past the value that starts with {@code token}, so that the parser's location is its end
   * (a string is read lazily: reading it is what moves the location past its closing quote).
   */
  private static void finish(JsonParser parser, JsonToken token) {
    if (token.isStructStart()) {
      parser.skipChildren();
    } else if (token.isScalarValue()) {
      parser.getString();
    }
  }

  /** One element of {@code events} as written in the body. */
  private record Slice(String json, boolean isObject) {}

  /**
   * One event, given as a JSON object: routable, or the reason it is not. Used for the events of a
   * body and for an event an operator releases from quarantine.
   */
  ParsedEvent parseEvent(String json, int index) {
    JsonNode event;
    try {
      event = mapper.readTree(json);
    } catch (JacksonException e) {
      return rejected(index, json, QuarantineReason.NOT_AN_OBJECT, "is not valid JSON", null);
    }
    if (event == null || !event.isObject()) {
      return rejected(index, json, QuarantineReason.NOT_AN_OBJECT, "is not a JSON object", null);
    }
    JsonNode idNode = event.path("id");
    String sentId = idNode.isString() ? idNode.stringValue() : null;
    if (!idNode.isMissingNode() && !idNode.isNull() && !idNode.isString()) {
      return rejected(
          index, json, QuarantineReason.INVALID_ID, "has an id that is not a string", null);
    }
    String resourceType = stringOrNull(event, "resource_type");
    if (resourceType == null || resourceType.isBlank()) {
      return rejected(
          index, json, QuarantineReason.MISSING_RESOURCE_TYPE, "has no resource_type", sentId);
    }
    String action = stringOrNull(event, "action");
    if (action == null || action.isBlank()) {
      return rejected(index, json, QuarantineReason.MISSING_ACTION, "has no action", sentId);
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
    if (hasNul(sentId)
        || hasNul(resourceType)
        || hasNul(action)
        || links.values().stream().anyMatch(WebhookBatchParser::hasNul)) {
      return rejected(
          index,
          json,
          QuarantineReason.NUL_CHARACTER,
          "has a NUL character in its id, resource_type, action or links",
          null);
    }
    String createdAt = stringOrNull(event, "created_at");
    String id = sentId != null && !sentId.isBlank() ? sentId : null;
    if (id != null && id.length() > OutboxEvent.MAX_ID_LENGTH) {
      return rejected(
          index,
          json,
          QuarantineReason.ID_TOO_LONG,
          "has an id longer than " + OutboxEvent.MAX_ID_LENGTH + " characters",
          sentId);
    }
    if (id != null && !GoCardlessRecords.isGoCardlessEventId(id)) {
      return rejected(
          index,
          json,
          QuarantineReason.INVALID_ID,
          "has an id that is not a GoCardless event id (EV and uppercase letters and digits)",
          sentId);
    }
    GoCardlessRecord record =
        GoCardlessRecords.of(new GoCardlessEventFields(id, resourceType, action, createdAt, links));
    return new GoCardlessEvent(
        record, resourceType, action, IsoInstants.parseOrNull(createdAt), json);
  }

  private static ParsedEvent.Rejected rejected(
      int index, String json, QuarantineReason reason, String what, String eventId) {
    return new ParsedEvent.Rejected(
        index,
        json,
        reason,
        "Event " + index + " " + what,
        eventId == null ? null : eventId.replace("\0", ""));
  }

  private static boolean hasNul(String value) {
    return value != null && value.indexOf(0) >= 0;
  }

  private static String stringOrNull(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.stringValue() : null;
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
}
