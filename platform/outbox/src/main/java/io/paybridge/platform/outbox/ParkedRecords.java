package io.paybridge.platform.outbox;

import io.paybridge.platform.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;

/**
 * Table {@code outbox_parked}: records Kafka refused for good, set aside by the relay so that the
 * rows behind them are relayed, kept whole (topic, key, value, headers) so that an operator can
 * send them once the cause is fixed ({@link OutboxRepublisher#resendParked}) or discard them.
 */
final class ParkedRecords {

  /** A connection of the caller's choosing: the relay's own, or the application's pool. */
  @FunctionalInterface
  interface Connections {
    Connection open() throws SQLException;
  }

  /** A parked record, as listed for operators. */
  record Parked(
      long id,
      String eventId,
      String topic,
      String key,
      String reason,
      String error,
      Instant parkedAt,
      Instant resentAt,
      Instant discardedAt,
      String note) {}

  private final Connections connections;
  private final JsonConverter json = new JsonConverter();

  ParkedRecords(Connections connections) {
    this.connections = connections;
    json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
  }

  /**
   * Parks a record; a record parked before (the same event id: its batch was parked, then the relay
   * crashed before committing the rest) stays as it was.
   *
   * @return whether it was parked now
   */
  boolean park(ProducerRecord<String, String> record, RecordRefusal reason, String error)
      throws SQLException {
    var headers = new ArrayList<List<String>>();
    String eventId = null;
    for (Header header : record.headers()) {
      String value = new String(header.value(), StandardCharsets.UTF_8);
      headers.add(List.of(header.key(), value));
      if (EventHeaders.ID.equals(header.key())) {
        eventId = value;
      }
    }
    try (var connection = connections.open();
        var statement =
            connection.prepareStatement(
                "insert into outbox_parked (event_id, topic, record_key, record_value, headers,"
                    + " reason, error) values (?, ?, ?, ?, ?::json, ?, ?)"
                    + " on conflict (event_id) do nothing")) {
      statement.setString(1, eventId == null ? "unknown:" + record.hashCode() : eventId);
      statement.setString(2, record.topic());
      statement.setString(3, record.key());
      statement.setString(4, record.value());
      statement.setString(
          5, new String(json.fromConnectData("", null, headers), StandardCharsets.UTF_8));
      statement.setString(6, reason.code);
      statement.setString(7, error);
      return statement.executeUpdate() == 1;
    }
  }

  /** Parked records neither re-sent nor discarded. */
  long open() throws SQLException {
    try (var connection = connections.open();
        var statement =
            connection.prepareStatement(
                "select count(*) from outbox_parked where resent_at is null and discarded_at is null");
        var rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The latest parked records, newest first, open ones only unless {@code all}. */
  List<Parked> list(boolean all, int limit) throws SQLException {
    try (var connection = connections.open();
        var statement =
            connection.prepareStatement(
                "select id, event_id, topic, record_key, reason, error, parked_at, resent_at,"
                    + " discarded_at, note from outbox_parked"
                    + (all ? "" : " where resent_at is null and discarded_at is null")
                    + " order by parked_at desc, id desc limit ?")) {
      statement.setInt(1, limit);
      try (var rows = statement.executeQuery()) {
        var result = new ArrayList<Parked>();
        while (rows.next()) {
          result.add(
              new Parked(
                  rows.getLong(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6),
                  instant(rows.getTimestamp(7)),
                  instant(rows.getTimestamp(8)),
                  instant(rows.getTimestamp(9)),
                  rows.getString(10)));
        }
        return result;
      }
    }
  }

  /** The record as it was refused, to send it again; empty when there is no such open record. */
  Optional<ProducerRecord<String, String>> record(long id) throws SQLException {
    try (var connection = connections.open();
        var statement =
            connection.prepareStatement(
                "select topic, record_key, record_value, headers::text from outbox_parked"
                    + " where id = ? and resent_at is null and discarded_at is null")) {
      statement.setLong(1, id);
      try (var rows = statement.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        var headers = new RecordHeaders();
        Object pairs =
            json.toConnectData("", rows.getString(4).getBytes(StandardCharsets.UTF_8)).value();
        for (Object pair : (List<?>) pairs) {
          var nameAndValue = (List<?>) pair;
          headers.add(
              (String) nameAndValue.get(0),
              ((String) nameAndValue.get(1)).getBytes(StandardCharsets.UTF_8));
        }
        return Optional.of(
            new ProducerRecord<>(
                rows.getString(1), null, rows.getString(2), rows.getString(3), headers));
      }
    }
  }

  /** Marks an open record re-sent or discarded; {@code false} when it is not open. */
  boolean close(Connection connection, long id, boolean resent, String note) throws SQLException {
    try (var statement =
        connection.prepareStatement(
            "update outbox_parked set "
                + (resent ? "resent_at" : "discarded_at")
                + " = clock_timestamp(), note = ? where id = ?"
                + " and resent_at is null and discarded_at is null")) {
      statement.setString(1, note);
      statement.setLong(2, id);
      return statement.executeUpdate() == 1;
    }
  }

  Connections connections() {
    return connections;
  }

  private static Instant instant(java.sql.Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
