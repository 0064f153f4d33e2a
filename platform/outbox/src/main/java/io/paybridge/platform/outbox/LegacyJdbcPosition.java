package io.paybridge.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;

/**
 * The position an earlier relay recorded in table {@code outbox_relay_offset} (Debezium's {@code
 * JdbcOffsetBackingStore} layout), read once when a service is upgraded to the Kafka-held position:
 * a relay whose position topic holds nothing yet starts from it rather than from the slot, and
 * deletes it after its first committed batch, so that it is never read again.
 */
final class LegacyJdbcPosition {

  static final String TABLE = "outbox_relay_offset";

  private final DatabaseEndpoint database;
  private final JsonConverter keys = new JsonConverter();
  private final JsonConverter values = new JsonConverter();

  LegacyJdbcPosition(DatabaseEndpoint database) {
    this.database = database;
    keys.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
    values.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
  }

  /** The last position recorded for {@code engineName}, or empty. */
  Optional<RelayPosition> read(String engineName) throws SQLException {
    try {
      return readRows(engineName);
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return Optional.empty(); // undefined_table: a database that never had the JDBC store
      }
      throw e;
    }
  }

  private Optional<RelayPosition> readRows(String engineName) throws SQLException {
    try (var connection = database.open();
        var statement =
            connection.prepareStatement(
                "select offset_key, offset_val from "
                    + TABLE
                    + " order by record_insert_ts, record_insert_seq");
        var rows = statement.executeQuery()) {
      RelayPosition last = null;
      while (rows.next()) {
        String key = rows.getString(1);
        String value = rows.getString(2);
        if (key == null || value == null) {
          continue;
        }
        Object decoded = keys.toConnectData("", key.getBytes(StandardCharsets.UTF_8)).value();
        if (decoded instanceof List<?> list
            && list.size() == 2
            && engineName.equals(list.get(0))
            && list.get(1) instanceof Map<?, ?> partition) {
          Object offset = values.toConnectData("", value.getBytes(StandardCharsets.UTF_8)).value();
          if (offset instanceof Map<?, ?> offsetMap) {
            last =
                new RelayPosition(
                    "legacy-jdbc",
                    PositionTopic.stringKeys(partition),
                    PositionTopic.stringKeys(offsetMap));
          }
        }
      }
      return Optional.ofNullable(last);
    }
  }

  /** Deletes the legacy position once Kafka holds one. */
  void forget() throws SQLException {
    try (var connection = database.open();
        var statement = connection.createStatement()) {
      statement.executeUpdate("delete from " + TABLE);
    }
  }
}
