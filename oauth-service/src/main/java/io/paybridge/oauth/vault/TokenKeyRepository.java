package io.paybridge.oauth.vault;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The cluster-wide key state: {@code token_encryption_key} (which key is active), {@code
 * token_key_activation} (who activated what) and {@code token_key_holder} (which instance holds
 * which key ids). Key material never reaches the database.
 */
@Repository
class TokenKeyRepository {

  private final JdbcTemplate jdbc;

  TokenKeyRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  Optional<TokenKeys.Key> findActive() {
    return jdbc
        .query(
            "select key_id, state, activated_at, activated_by, retired_at from token_encryption_key"
                + " where state = 'active'",
            TokenKeyRepository::keyState)
        .stream()
        .findFirst();
  }

  /**
   * The active key id, share-locked until the caller's transaction ends: an activation waits for a
   * write that is encrypting under the key it replaces, so nothing is written under a key after it
   * stopped being active.
   */
  Optional<String> activeKeyIdForShare() {
    return jdbc
        .queryForList(
            "select key_id from token_encryption_key where state = 'active' for share",
            String.class)
        .stream()
        .findFirst();
  }

  Optional<TokenKeys.Key> lockActive() {
    return jdbc
        .query(
            "select key_id, state, activated_at, activated_by, retired_at from token_encryption_key"
                + " where state = 'active' for update",
            TokenKeyRepository::keyState)
        .stream()
        .findFirst();
  }

  List<TokenKeys.Key> all() {
    return jdbc.query(
        "select key_id, state, activated_at, activated_by, retired_at from token_encryption_key"
            + " order by activated_at desc, key_id",
        TokenKeyRepository::keyState);
  }

  /** Makes {@code keyId} active unless a key already is; true if this call did. */
  boolean insertActiveIfNone(String keyId, String by, Instant at) {
    // on conflict: instances starting together on a fresh database; the unique index on the
    // active state lets exactly one of them win.
    return jdbc.update(
            """
            insert into token_encryption_key (key_id, state, activated_at, activated_by)
            select ?, 'active', ?, ?
            where not exists (select 1 from token_encryption_key where state = 'active')
            on conflict do nothing
            """,
            keyId,
            Timestamp.from(at),
            by)
        == 1;
  }

  void retire(String keyId, Instant at) {
    jdbc.update(
        "update token_encryption_key set state = 'retired', retired_at = ? where key_id = ? and state = 'active'",
        Timestamp.from(at),
        keyId);
  }

  void activate(String keyId, String by, Instant at) {
    jdbc.update(
        """
        insert into token_encryption_key (key_id, state, activated_at, activated_by) values (?, 'active', ?, ?)
        on conflict (key_id) do update set state = 'active', activated_at = excluded.activated_at,
            activated_by = excluded.activated_by, retired_at = null
        """,
        keyId,
        Timestamp.from(at),
        by);
  }

  void recordActivation(
      String keyId, String previousKeyId, String by, String requestId, Instant at) {
    jdbc.update(
        "insert into token_key_activation (key_id, previous_key_id, activated_by, request_id, activated_at)"
            + " values (?, ?, ?, ?, ?)",
        keyId,
        previousKeyId,
        by,
        requestId,
        Timestamp.from(at));
  }

  // Heartbeats are stamped and judged with the database's clock, the one clock every instance
  // shares: instance clocks may drift apart by more than the timeout.

  void heartbeat(String instanceId, Collection<String> keyIds) {
    jdbc.update(
        """
        insert into token_key_holder (instance_id, key_ids, started_at, last_seen_at)
        values (?, string_to_array(?, ','), clock_timestamp(), clock_timestamp())
        on conflict (instance_id) do update set key_ids = excluded.key_ids, last_seen_at = excluded.last_seen_at
        """,
        instanceId,
        String.join(",", keyIds));
  }

  void forget(String instanceId) {
    jdbc.update("delete from token_key_holder where instance_id = ?", instanceId);
  }

  int forgetNotSeenFor(Duration timeout) {
    return jdbc.update(
        "delete from token_key_holder where last_seen_at < clock_timestamp() - make_interval(secs => ?)",
        seconds(timeout));
  }

  List<TokenKeys.Holder> liveHolders(Duration timeout) {
    return jdbc.query(
        """
        select instance_id, array_to_string(key_ids, ','), started_at, last_seen_at from token_key_holder
        where last_seen_at >= clock_timestamp() - make_interval(secs => ?) order by instance_id
        """,
        (rs, i) ->
            new TokenKeys.Holder(
                rs.getString(1),
                new TreeSet<>(
                    rs.getString(2).isEmpty()
                        ? List.of()
                        : Arrays.asList(rs.getString(2).split(","))),
                instant(rs, 3),
                instant(rs, 4)),
        seconds(timeout));
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private static TokenKeys.Key keyState(ResultSet rs, int row) throws SQLException {
    return new TokenKeys.Key(
        rs.getString(1), rs.getString(2), instant(rs, 3), rs.getString(4), instant(rs, 5));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
