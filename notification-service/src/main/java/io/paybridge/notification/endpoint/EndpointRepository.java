package io.paybridge.notification.endpoint;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The {@code endpoint} and {@code endpoint_secret} tables. */
@Repository
class EndpointRepository {

  private static final String COLUMNS =
      "id, team, kind, url, email, event_types, description, enabled, disabled_reason,"
          + " disabled_at, failing_since, created_at";

  private final JdbcTemplate jdbc;

  EndpointRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  record Row(
      UUID id,
      String team,
      EndpointKind kind,
      String url,
      String email,
      List<String> eventTypes,
      String description,
      boolean enabled,
      String disabledReason,
      Instant disabledAt,
      Instant failingSince,
      Instant createdAt) {

    EndpointView view() {
      return new EndpointView(
          id.toString(),
          kind.column(),
          url,
          email,
          eventTypes,
          description,
          enabled,
          disabledReason,
          disabledAt,
          failingSince,
          createdAt);
    }

    EndpointTarget target() {
      return new EndpointTarget(id.toString(), team, kind, url, email, enabled, failingSince);
    }
  }

  record StoredSecret(int version, String keyId, byte[] ciphertext, Instant expiresAt) {}

  private static final RowMapper<Row> ROW =
      (rs, n) ->
          new Row(
              rs.getObject("id", UUID.class),
              rs.getString("team"),
              EndpointKind.ofColumn(rs.getString("kind")),
              rs.getString("url"),
              rs.getString("email"),
              strings(rs.getArray("event_types")),
              rs.getString("description"),
              rs.getBoolean("enabled"),
              rs.getString("disabled_reason"),
              instant(rs, "disabled_at"),
              instant(rs, "failing_since"),
              instant(rs, "created_at"));

  void insert(Row row) {
    jdbc.update(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "insert into endpoint (id, team, kind, url, email, event_types, description,"
                      + " enabled, created_at) values (?, ?, ?, ?, ?, ?, ?, true, ?)");
          statement.setObject(1, row.id());
          statement.setString(2, row.team());
          statement.setString(3, row.kind().column());
          statement.setString(4, row.url());
          statement.setString(5, row.email());
          statement.setArray(6, connection.createArrayOf("text", row.eventTypes().toArray()));
          statement.setString(7, row.description());
          statement.setTimestamp(8, Timestamp.from(row.createdAt()));
          return statement;
        });
  }

  Optional<Row> find(UUID id, String team) {
    return jdbc
        .query("select " + COLUMNS + " from endpoint where id = ? and team = ?", ROW, id, team)
        .stream()
        .findFirst();
  }

  Optional<Row> find(UUID id) {
    return jdbc.query("select " + COLUMNS + " from endpoint where id = ?", ROW, id).stream()
        .findFirst();
  }

  List<Row> findAll(java.util.Collection<UUID> ids) {
    return jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select " + COLUMNS + " from endpoint where id = any (?)");
          statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
          return statement;
        },
        ROW);
  }

  List<Row> ofTeam(String team) {
    return jdbc.query(
        "select " + COLUMNS + " from endpoint where team = ? order by created_at, id", ROW, team);
  }

  List<Row> enabledOfTeam(String team) {
    return jdbc.query("select " + COLUMNS + " from endpoint where team = ? and enabled", ROW, team);
  }

  boolean delete(UUID id, String team) {
    return jdbc.update("delete from endpoint where id = ? and team = ?", id, team) == 1;
  }

  boolean enable(UUID id, String team) {
    return jdbc.update(
            "update endpoint set enabled = true, disabled_reason = null, disabled_at = null,"
                + " failing_since = null where id = ? and team = ?",
            id,
            team)
        == 1;
  }

  /**
   * Disables an enabled endpoint; false when it was not (already disabled, or gone), so that the
   * caller tells the team once.
   */
  boolean disable(UUID id, String reason, Instant at) {
    return jdbc.update(
            "update endpoint set enabled = false, disabled_reason = ?, disabled_at = ?"
                + " where id = ? and enabled",
            reason,
            Timestamp.from(at),
            id)
        == 1;
  }

  /** Records a failed attempt; returns since when the endpoint has been failing. */
  Instant markFailing(UUID id, Instant at) {
    return jdbc.queryForObject(
        "update endpoint set failing_since = coalesce(failing_since, ?) where id = ?"
            + " returning failing_since",
        (rs, n) -> instant(rs, "failing_since"),
        Timestamp.from(at),
        id);
  }

  void markHealthy(UUID id) {
    // Only a change is written: a healthy endpoint's successes do not contend on its row.
    jdbc.update(
        "update endpoint set failing_since = null where id = ? and failing_since is not null", id);
  }

  void insertSecret(UUID endpoint, int version, String keyId, byte[] ciphertext, Instant at) {
    jdbc.update(
        "insert into endpoint_secret (endpoint_id, version, key_id, ciphertext, created_at)"
            + " values (?, ?, ?, ?, ?)",
        endpoint,
        version,
        keyId,
        ciphertext,
        Timestamp.from(at));
  }

  /** Locks the endpoint's secrets (a rotation at a time) and returns the next version. */
  int nextSecretVersion(UUID endpoint) {
    jdbc.query("select id from endpoint where id = ? for update", rs -> {}, endpoint);
    Integer max =
        jdbc.queryForObject(
            "select max(version) from endpoint_secret where endpoint_id = ?",
            Integer.class,
            endpoint);
    return max == null ? 1 : max + 1;
  }

  /** Sets an expiry on every secret without one, or brings an expiry forward. */
  void expireSecrets(UUID endpoint, Instant at) {
    jdbc.update(
        "update endpoint_secret set expires_at = least(coalesce(expires_at, ?), ?)"
            + " where endpoint_id = ?",
        Timestamp.from(at),
        Timestamp.from(at),
        endpoint);
  }

  /** The secrets that sign at {@code at}: the current one and any not yet expired. */
  List<StoredSecret> signingSecrets(UUID endpoint, Instant at) {
    return jdbc.query(
        "select version, key_id, ciphertext, expires_at from endpoint_secret"
            + " where endpoint_id = ? and (expires_at is null or expires_at > ?)"
            + " order by version desc",
        (rs, n) ->
            new StoredSecret(
                rs.getInt("version"),
                rs.getString("key_id"),
                rs.getBytes("ciphertext"),
                instant(rs, "expires_at")),
        endpoint,
        Timestamp.from(at));
  }

  record EndpointSecret(UUID endpoint, StoredSecret secret) {}

  /** The secrets that sign at {@code at} of several endpoints, newest first per endpoint. */
  List<EndpointSecret> signingSecrets(java.util.Collection<UUID> endpoints, Instant at) {
    return jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select endpoint_id, version, key_id, ciphertext, expires_at from endpoint_secret"
                      + " where endpoint_id = any (?) and (expires_at is null or expires_at > ?)"
                      + " order by endpoint_id, version desc");
          statement.setArray(1, connection.createArrayOf("uuid", endpoints.toArray()));
          statement.setTimestamp(2, Timestamp.from(at));
          return statement;
        },
        (rs, n) ->
            new EndpointSecret(
                rs.getObject("endpoint_id", UUID.class),
                new StoredSecret(
                    rs.getInt("version"),
                    rs.getString("key_id"),
                    rs.getBytes("ciphertext"),
                    instant(rs, "expires_at"))));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }
}
