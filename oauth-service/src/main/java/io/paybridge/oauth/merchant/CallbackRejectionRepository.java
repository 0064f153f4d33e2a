package io.paybridge.oauth.merchant;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code oauth_callback_rejection} table: refused callbacks, kept for security reviews. */
@Repository
class CallbackRejectionRepository {

  private final JdbcTemplate jdbc;

  CallbackRejectionRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(
      String reason, String merchantId, String team, String remoteAddress, String requestId) {
    jdbc.update(
        "insert into oauth_callback_rejection (reason, merchant_id, team, remote_addr, request_id)"
            + " values (?, ?, ?, ?, ?)",
        reason,
        merchantId,
        team,
        remoteAddress,
        requestId);
  }

  /** Deletes the rejections received before {@code cutoff}; returns how many. */
  int deleteReceivedBefore(Instant cutoff) {
    return jdbc.update(
        "delete from oauth_callback_rejection where received_at < ?", Timestamp.from(cutoff));
  }

  /** Deletes all but the {@code max} most recent rejections; returns how many. */
  int deleteAllButNewest(int max) {
    return jdbc.update(
        "delete from oauth_callback_rejection where id in (select id from oauth_callback_rejection"
            + " order by received_at desc, id desc offset ?)",
        max);
  }
}
