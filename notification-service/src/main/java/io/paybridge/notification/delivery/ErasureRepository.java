package io.paybridge.notification.delivery;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** What erasing a payer changes in {@code delivery} and {@code delivery_attempt}. */
@Repository
class ErasureRepository {

  private final JdbcTemplate jdbc;

  ErasureRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  record Found(UUID id, String body) {}

  /**
   * The deliveries, locked, whose body names one of {@code values} as a whole JSON string (an id
   * {@code "PM123"} is not found inside {@code "PM1234"}).
   */
  List<Found> lockNaming(Collection<String> values) {
    if (values.isEmpty()) {
      return List.of();
    }
    String[] quoted = values.stream().map(v -> "\"" + v + "\"").distinct().toArray(String[]::new);
    return jdbc.query(
        connection -> {
          var s =
              connection.prepareStatement(
                  """
                  select id, body from delivery
                  where exists (select 1 from unnest(?::text[]) as v (quoted) where strpos(body, v.quoted) > 0)
                  order by id for update
                  """);
          s.setArray(1, connection.createArrayOf("text", quoted));
          return s;
        },
        (rs, i) -> new Found(rs.getObject("id", UUID.class), rs.getString("body")));
  }

  /** A delivery as an access request shows it. */
  record Held(
      UUID id,
      String team,
      UUID endpointId,
      String factId,
      String eventType,
      String status,
      java.time.Instant createdAt,
      String body) {}

  /** The deliveries whose body names one of {@code values} as a whole JSON string, oldest first. */
  List<Held> naming(Collection<String> values) {
    if (values.isEmpty()) {
      return List.of();
    }
    String[] quoted = values.stream().map(v -> "\"" + v + "\"").distinct().toArray(String[]::new);
    return jdbc.query(
        connection -> {
          var s =
              connection.prepareStatement(
                  """
                  select id, team, endpoint_id, fact_id, event_type, status, created_at, body from delivery
                  where exists (select 1 from unnest(?::text[]) as v (quoted) where strpos(body, v.quoted) > 0)
                  order by created_at, id
                  """);
          s.setArray(1, connection.createArrayOf("text", quoted));
          return s;
        },
        (rs, i) ->
            new Held(
                rs.getObject("id", UUID.class),
                rs.getString("team"),
                rs.getObject("endpoint_id", UUID.class),
                rs.getString("fact_id"),
                rs.getString("event_type"),
                rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("body")));
  }

  void replaceBody(UUID deliveryId, String body) {
    jdbc.update("update delivery set body = ? where id = ?", body, deliveryId);
  }

  /**
   * Removes what the receivers answered to the deliveries' attempts (a receiver may echo what it
   * was sent).
   *
   * @return how many attempts changed
   */
  int forgetResponses(Collection<UUID> deliveryIds) {
    if (deliveryIds.isEmpty()) {
      return 0;
    }
    UUID[] ids = deliveryIds.toArray(UUID[]::new);
    return jdbc.update(
        connection -> {
          var s =
              connection.prepareStatement(
                  """
                  update delivery_attempt set response_excerpt = null
                  where delivery_id = any(?) and response_excerpt is not null
                  """);
          s.setArray(1, connection.createArrayOf("uuid", ids));
          return s;
        });
  }
}
