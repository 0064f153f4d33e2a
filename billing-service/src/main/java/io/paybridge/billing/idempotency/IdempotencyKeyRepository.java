package io.paybridge.billing.idempotency;

import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code idempotency_key} table: a team's key, the hash of its request and what it made. */
@Repository
class IdempotencyKeyRepository {

  record Recorded(String requestHash, String resourceId) {}

  private final JdbcTemplate jdbc;

  IdempotencyKeyRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Recorded> find(String team, String operation, String key) {
    return jdbc
        .query(
            "select request_hash, resource_id from idempotency_key where team = ? and operation = ? and key = ?",
            (rs, i) -> new Recorded(rs.getString(1), rs.getString(2)),
            team,
            operation,
            key)
        .stream()
        .findFirst();
  }

  /** Records the key; {@code false} if another request recorded it first. */
  boolean insert(String team, String operation, String key, String requestHash, String resourceId) {
    return jdbc.update(
            """
            insert into idempotency_key (team, operation, key, request_hash, resource_id) values (?, ?, ?, ?, ?)
            on conflict do nothing
            """,
            team,
            operation,
            key,
            requestHash,
            resourceId)
        == 1;
  }
}
