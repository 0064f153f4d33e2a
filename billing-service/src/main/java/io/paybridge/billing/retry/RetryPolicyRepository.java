package io.paybridge.billing.retry;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code retry_policy}: the policies teams set for their merchants. */
@Repository
class RetryPolicyRepository {

  private final JdbcTemplate jdbc;

  RetryPolicyRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  Optional<RetryPolicy> find(String merchantId) {
    return jdbc
        .query(
            "select * from retry_policy where merchant_id = ?",
            (rs, i) ->
                new RetryPolicy(
                    rs.getString("merchant_id"),
                    rs.getBoolean("enabled"),
                    rs.getInt("max_retries"),
                    rs.getInt("window_days"),
                    rs.getTimestamp("updated_at").toInstant()),
            merchantId)
        .stream()
        .findFirst();
  }

  void save(String team, RetryPolicy policy, Instant at) {
    jdbc.update(
        """
        insert into retry_policy (merchant_id, team, enabled, max_retries, window_days, updated_at)
        values (?, ?, ?, ?, ?, ?)
        on conflict (merchant_id) do update set enabled = excluded.enabled,
          max_retries = excluded.max_retries, window_days = excluded.window_days,
          updated_at = excluded.updated_at
        """,
        policy.merchantId(),
        team,
        policy.enabled(),
        policy.maxRetries(),
        policy.windowDays(),
        Timestamp.from(at));
  }
}
