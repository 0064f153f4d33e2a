package io.paybridge.notification.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The {@code delivery} and {@code delivery_attempt} tables. */
@Repository
class DeliveryRepository {

  private final JdbcTemplate jdbc;

  DeliveryRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** A delivery to create: its body is fixed now, for every attempt. */
  record NewDelivery(
      UUID id, String endpointId, String team, String factId, String eventType, String body) {}

  /** A claimed delivery, about to be attempted. */
  record Claimed(
      UUID id,
      String endpointId,
      String team,
      String factId,
      String eventType,
      String body,
      int attempt,
      int cycleAttempt) {}

  record Row(
      UUID id,
      String endpointId,
      String team,
      String factId,
      String eventType,
      String status,
      int attempts,
      Instant nextAttemptAt,
      Instant createdAt,
      Instant completedAt) {}

  record Attempt(
      int attempt,
      Instant attemptedAt,
      String outcome,
      Integer statusCode,
      int latencyMs,
      String responseExcerpt,
      String error) {}

  private static final String ROW_COLUMNS =
      "id, endpoint_id, team, fact_id, event_type, status, attempts, next_attempt_at, created_at,"
          + " completed_at";

  private static final RowMapper<Row> ROW =
      (rs, n) ->
          new Row(
              rs.getObject("id", UUID.class),
              rs.getString("endpoint_id"),
              rs.getString("team"),
              rs.getString("fact_id"),
              rs.getString("event_type"),
              rs.getString("status"),
              rs.getInt("attempts"),
              instant(rs, "next_attempt_at"),
              instant(rs, "created_at"),
              instant(rs, "completed_at"));

  /**
   * Inserts the deliveries that do not exist yet: one per (fact, endpoint), whatever the number of
   * times the fact is handled.
   *
   * @return how many were new
   */
  int insert(Collection<NewDelivery> deliveries, Instant now) {
    if (deliveries.isEmpty()) {
      return 0;
    }
    // One statement for any number of rows (a poll's worth), and its count of rows inserted.
    return jdbc.update(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "insert into delivery (id, endpoint_id, team, fact_id, event_type, body, status,"
                      + " next_attempt_at, created_at)"
                      + " select id, endpoint_id, team, fact_id, event_type, body, 'pending', ?, ?"
                      + " from unnest(?::uuid[], ?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[],"
                      + " ?::text[]) as d(id, endpoint_id, team, fact_id, event_type, body)"
                      + " on conflict (fact_id, endpoint_id) do nothing");
          statement.setTimestamp(1, Timestamp.from(now));
          statement.setTimestamp(2, Timestamp.from(now));
          statement.setArray(
              3,
              connection.createArrayOf("uuid", deliveries.stream().map(NewDelivery::id).toArray()));
          statement.setArray(
              4,
              connection.createArrayOf(
                  "uuid", deliveries.stream().map(d -> UUID.fromString(d.endpointId())).toArray()));
          statement.setArray(
              5,
              connection.createArrayOf(
                  "varchar", deliveries.stream().map(NewDelivery::team).toArray()));
          statement.setArray(
              6,
              connection.createArrayOf(
                  "varchar", deliveries.stream().map(NewDelivery::factId).toArray()));
          statement.setArray(
              7,
              connection.createArrayOf(
                  "varchar", deliveries.stream().map(NewDelivery::eventType).toArray()));
          statement.setArray(
              8,
              connection.createArrayOf(
                  "text", deliveries.stream().map(NewDelivery::body).toArray()));
          return statement;
        });
  }

  /**
   * Claims due deliveries of enabled endpoints for this instance: at most {@code perEndpoint} per
   * endpoint (oldest due first) and {@code limit} in all, none of {@code saturated} endpoints. A
   * claim pushes the due time by the lease and counts the attempt; rows another instance holds are
   * skipped, not waited for.
   */
  List<Claimed> claim(
      Collection<UUID> saturated, int perEndpoint, int limit, Instant now, Duration lease) {
    return jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  """
                  with candidate as (
                      select due.id from endpoint e
                      cross join lateral (
                          select d.id, d.next_attempt_at from delivery d
                          where d.endpoint_id = e.id and d.status = 'pending' and d.next_attempt_at <= ?
                          order by d.next_attempt_at
                          limit ?
                      ) due
                      where e.enabled and not (e.id = any (?))
                      order by due.next_attempt_at
                      limit ?
                  ), locked as (
                      -- By primary key only, whatever the statistics say (they lag a growing
                      -- backlog): "is true" keeps the due index out of this plan, which would
                      -- otherwise read every due row. The condition is still re-checked on the
                      -- row's latest version, so a row another instance claimed meanwhile drops out.
                      select id from delivery
                      where id = any (array(select id from candidate))
                        and (status = 'pending' and next_attempt_at <= ?) is true
                      for update skip locked
                  )
                  update delivery d
                  set next_attempt_at = ?, attempts = d.attempts + 1, cycle_attempts = d.cycle_attempts + 1
                  where d.id = any (array(select id from locked))
                  returning d.id, d.endpoint_id, d.team, d.fact_id, d.event_type, d.body, d.attempts, d.cycle_attempts
                  """);
          statement.setTimestamp(1, Timestamp.from(now));
          statement.setInt(2, perEndpoint);
          statement.setArray(3, connection.createArrayOf("uuid", saturated.toArray()));
          statement.setInt(4, limit);
          statement.setTimestamp(5, Timestamp.from(now));
          statement.setTimestamp(6, Timestamp.from(now.plus(lease)));
          return statement;
        },
        (rs, n) ->
            new Claimed(
                rs.getObject("id", UUID.class),
                rs.getString("endpoint_id"),
                rs.getString("team"),
                rs.getString("fact_id"),
                rs.getString("event_type"),
                rs.getString("body"),
                rs.getInt("attempts"),
                rs.getInt("cycle_attempts")));
  }

  /** An attempt to log. */
  record AttemptRow(UUID delivery, int attempt, Instant at, AttemptResult result) {}

  /** Logs several attempts in one batch. */
  void insertAttempts(List<AttemptRow> attempts) {
    if (attempts.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "insert into delivery_attempt (delivery_id, attempt, attempted_at, outcome, status_code,"
            + " latency_ms, response_excerpt, error) values (?, ?, ?, ?, ?, ?, ?, ?)",
        attempts,
        attempts.size(),
        (statement, row) -> {
          statement.setObject(1, row.delivery());
          statement.setInt(2, row.attempt());
          statement.setTimestamp(3, Timestamp.from(row.at()));
          statement.setString(4, row.result().outcome().column());
          statement.setObject(5, row.result().statusCode(), java.sql.Types.INTEGER);
          statement.setInt(6, (int) Math.min(Integer.MAX_VALUE, row.result().latency().toMillis()));
          statement.setString(7, row.result().responseExcerpt());
          statement.setString(8, row.result().error());
        });
  }

  /** Marks several deliveries succeeded, each at its own time, in one batch. */
  void succeeded(List<AttemptRow> attempts) {
    if (attempts.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "update delivery set status = 'succeeded', next_attempt_at = null, completed_at = ?"
            + " where id = ?",
        attempts,
        attempts.size(),
        (statement, row) -> {
          statement.setTimestamp(1, Timestamp.from(row.at()));
          statement.setObject(2, row.delivery());
        });
  }

  void insertAttempt(UUID delivery, int attempt, Instant at, AttemptResult result) {
    jdbc.update(
        "insert into delivery_attempt (delivery_id, attempt, attempted_at, outcome, status_code,"
            + " latency_ms, response_excerpt, error) values (?, ?, ?, ?, ?, ?, ?, ?)",
        delivery,
        attempt,
        Timestamp.from(at),
        result.outcome().column(),
        result.statusCode(),
        (int) Math.min(Integer.MAX_VALUE, result.latency().toMillis()),
        result.responseExcerpt(),
        result.error());
  }

  void succeeded(UUID delivery, Instant at) {
    jdbc.update(
        "update delivery set status = 'succeeded', next_attempt_at = null, completed_at = ?"
            + " where id = ?",
        Timestamp.from(at),
        delivery);
  }

  void dead(UUID delivery, Instant at) {
    jdbc.update(
        "update delivery set status = 'dead', next_attempt_at = null, completed_at = ? where id = ?",
        Timestamp.from(at),
        delivery);
  }

  void retryAt(UUID delivery, Instant at) {
    jdbc.update(
        "update delivery set next_attempt_at = ? where id = ? and status = 'pending'",
        Timestamp.from(at),
        delivery);
  }

  Optional<Row> find(UUID id, String team) {
    return jdbc
        .query("select " + ROW_COLUMNS + " from delivery where id = ? and team = ?", ROW, id, team)
        .stream()
        .findFirst();
  }

  Optional<Row> find(UUID id) {
    return jdbc.query("select " + ROW_COLUMNS + " from delivery where id = ?", ROW, id).stream()
        .findFirst();
  }

  Optional<Row> findByFact(String factId, String endpointId) {
    return jdbc
        .query(
            "select " + ROW_COLUMNS + " from delivery where fact_id = ? and endpoint_id = ?",
            ROW,
            factId,
            UUID.fromString(endpointId))
        .stream()
        .findFirst();
  }

  /** A team's deliveries (any team's when {@code team} is null), newest first. */
  List<Row> list(
      String team, String endpointId, String status, Instant from, Instant to, int limit) {
    var sql = new StringBuilder("select " + ROW_COLUMNS + " from delivery where true");
    var args = new java.util.ArrayList<Object>();
    if (team != null) {
      sql.append(" and team = ?");
      args.add(team);
    }
    if (endpointId != null) {
      sql.append(" and endpoint_id = ?");
      args.add(UUID.fromString(endpointId));
    }
    if (status != null) {
      sql.append(" and status = ?");
      args.add(status);
    }
    if (from != null) {
      sql.append(" and created_at >= ?");
      args.add(Timestamp.from(from));
    }
    if (to != null) {
      sql.append(" and created_at < ?");
      args.add(Timestamp.from(to));
    }
    sql.append(" order by created_at desc, id limit ?");
    args.add(limit);
    return jdbc.query(sql.toString(), ROW, args.toArray());
  }

  List<Attempt> attempts(UUID delivery) {
    return jdbc.query(
        "select attempt, attempted_at, outcome, status_code, latency_ms, response_excerpt, error"
            + " from delivery_attempt where delivery_id = ? order by attempt, id",
        (rs, n) ->
            new Attempt(
                rs.getInt("attempt"),
                instant(rs, "attempted_at"),
                rs.getString("outcome"),
                (Integer) rs.getObject("status_code"),
                rs.getInt("latency_ms"),
                rs.getString("response_excerpt"),
                rs.getString("error")),
        delivery);
  }

  /** Makes a finished delivery due again, with a fresh retry schedule; true if it was finished. */
  boolean replay(UUID id, String team, Instant now) {
    return jdbc.update(
            "update delivery set status = 'pending', next_attempt_at = ?, cycle_attempts = 0,"
                + " completed_at = null where id = ? and (?::varchar is null or team = ?)"
                + " and status <> 'pending'",
            Timestamp.from(now),
            id,
            team,
            team)
        == 1;
  }

  /**
   * Makes every finished delivery of a status created in [from, to) due again (of {@code team}, or
   * of every team when null; of one endpoint when given); returns how many.
   */
  int replayRange(
      String team, String endpointId, String status, Instant from, Instant to, Instant now) {
    return jdbc.update(
        "update delivery set status = 'pending', next_attempt_at = ?, cycle_attempts = 0,"
            + " completed_at = null where created_at >= ? and created_at < ? and status = ?"
            + " and (?::varchar is null or team = ?) and (?::uuid is null or endpoint_id = ?::uuid)",
        Timestamp.from(now),
        Timestamp.from(from),
        Timestamp.from(to),
        status,
        team,
        team,
        endpointId,
        endpointId);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
