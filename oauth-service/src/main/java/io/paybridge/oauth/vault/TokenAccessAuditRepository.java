package io.paybridge.oauth.vault;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code token_access_audit} table: one row per call of the token endpoint. */
@Repository
class TokenAccessAuditRepository {

  private final JdbcTemplate jdbc;

  TokenAccessAuditRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(
      String merchantId, String subject, String clientId, String outcome, String requestId) {
    jdbc.update(
        """
        insert into token_access_audit (merchant_id, caller_subject, caller_client_id, outcome, request_id)
        values (?, ?, ?, ?, ?)
        """,
        merchantId,
        subject,
        clientId,
        outcome,
        requestId);
  }
}
