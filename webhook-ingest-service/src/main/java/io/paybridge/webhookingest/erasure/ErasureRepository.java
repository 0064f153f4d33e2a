package io.paybridge.webhookingest.erasure;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The rows that keep GoCardless's events as sent and may name a payer: raw deliveries ({@code
 * webhook_delivery.body}), the inbox ({@code gocardless_event.payload}), kept outbox rows ({@code
 * outbox_event.payload}) and quarantined events ({@code quarantined_event.raw_event}, {@code
 * corrected}). A row names the payer when one of the given values occurs in it as a whole JSON
 * string ({@code "PM123"} is not found inside {@code "PM1234"}).
 */
@Repository
class ErasureRepository {

  private final JdbcTemplate jdbc;

  ErasureRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  record Text(String id, String text) {}

  record Quarantined(long id, String rawEvent, String corrected) {}

  private static String[] quoted(Collection<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").distinct().toArray(String[]::new);
  }

  List<Text> lockDeliveries(Collection<String> values) {
    String[] quoted = quoted(values);
    byte[][] bytes = new byte[quoted.length][];
    for (int i = 0; i < quoted.length; i++) {
      bytes[i] = quoted[i].getBytes(StandardCharsets.UTF_8);
    }
    return jdbc.query(
        connection -> {
          var s =
              connection.prepareStatement(
                  """
                  select id, body from webhook_delivery
                  where exists (select 1 from unnest(?::bytea[]) as v (b) where position(v.b in body) > 0)
                  order by id for update
                  """);
          s.setArray(1, connection.createArrayOf("bytea", bytes));
          return s;
        },
        (rs, i) ->
            new Text(
                rs.getObject("id", UUID.class).toString(),
                new String(rs.getBytes("body"), StandardCharsets.UTF_8)));
  }

  void replaceDeliveryBody(String id, String body) {
    jdbc.update(
        "update webhook_delivery set body = ? where id = ?::uuid",
        body.getBytes(StandardCharsets.UTF_8),
        id);
  }

  /** A stored GoCardless event as an access request shows it. */
  record Held(
      String eventId,
      String resourceType,
      String action,
      String resourceId,
      java.time.Instant occurredAt,
      java.time.Instant receivedAt,
      String payload) {}

  /** The inbox's events naming one of {@code values} as a whole JSON string, oldest first. */
  List<Held> eventsNaming(Collection<String> values) {
    String[] quoted = quoted(values);
    return jdbc.query(
        connection -> {
          var s =
              connection.prepareStatement(
                  """
                  select event_id, resource_type, action, resource_id, occurred_at, received_at,
                         payload::text as payload
                  from gocardless_event
                  where exists (select 1 from unnest(?::text[]) as v (q) where strpos(payload::text, v.q) > 0)
                  order by received_at, event_id
                  """);
          s.setArray(1, connection.createArrayOf("text", quoted));
          return s;
        },
        (rs, i) ->
            new Held(
                rs.getString("event_id"),
                rs.getString("resource_type"),
                rs.getString("action"),
                rs.getString("resource_id"),
                rs.getTimestamp("occurred_at") == null
                    ? null
                    : rs.getTimestamp("occurred_at").toInstant(),
                rs.getTimestamp("received_at").toInstant(),
                rs.getString("payload")));
  }

  List<Text> lockEvents(Collection<String> values) {
    return lockJson("gocardless_event", "event_id", "payload", values);
  }

  void replaceEventPayload(String eventId, String payload) {
    jdbc.update(
        "update gocardless_event set payload = ?::json where event_id = ?", payload, eventId);
  }

  List<Text> lockOutboxRows(Collection<String> values) {
    return lockJson("outbox_event", "id", "payload", values);
  }

  /** Outbox updates are not relayed: the outbox publication carries inserts only. */
  void replaceOutboxPayload(String id, String payload) {
    jdbc.update("update outbox_event set payload = ?::json where id = ?", payload, id);
  }

  private List<Text> lockJson(
      String table, String idColumn, String column, Collection<String> values) {
    String[] quoted = quoted(values);
    return jdbc.query(
        connection -> {
          // table and columns are this class's constants, never input.
          var s =
              connection.prepareStatement(
                  "select "
                      + idColumn
                      + " as id, "
                      + column
                      + "::text as text from "
                      + table
                      + " where exists (select 1 from unnest(?::text[]) as v (q) where strpos("
                      + column
                      + "::text, v.q) > 0) order by "
                      + idColumn
                      + " for update");
          s.setArray(1, connection.createArrayOf("text", quoted));
          return s;
        },
        (rs, i) -> new Text(rs.getString("id"), rs.getString("text")));
  }

  List<Quarantined> lockQuarantined(Collection<String> values) {
    String[] quoted = quoted(values);
    return jdbc.query(
        connection -> {
          var s =
              connection.prepareStatement(
                  """
                  select id, raw_event, corrected from quarantined_event
                  where exists (select 1 from unnest(?::text[]) as v (q)
                                where strpos(coalesce(raw_event, ''), v.q) > 0
                                   or strpos(coalesce(corrected, ''), v.q) > 0)
                  order by id for update
                  """);
          s.setArray(1, connection.createArrayOf("text", quoted));
          return s;
        },
        (rs, i) ->
            new Quarantined(
                rs.getLong("id"), rs.getString("raw_event"), rs.getString("corrected")));
  }

  void replaceQuarantined(long id, String rawEvent, String corrected) {
    jdbc.update(
        "update quarantined_event set raw_event = ?, corrected = ? where id = ?",
        rawEvent,
        corrected,
        id);
  }
}
