package io.paybridge.oauth.merchant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code merchant} table. Transitions are compare-and-set on the current status. */
@Repository
class MerchantRepository {

  private static final String COLUMNS =
      "id, team, status, organisation_id, creditor_id, verification_status, failure_reason,"
          + " disconnect_reason, state_nonce_hash, state_expires_at, state_consumed_at, created_at,"
          + " connected_at, disconnected_at";

  private final JdbcTemplate jdbc;

  MerchantRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insertPending(String id, String team, String nonceHash, Instant expiresAt) {
    jdbc.update(
        "insert into merchant (id, team, status, state_nonce_hash, state_expires_at) values (?, ?, 'pending', ?, ?)",
        id,
        team,
        nonceHash,
        Timestamp.from(expiresAt));
  }

  Optional<Merchant> find(String id) {
    return jdbc.query("select " + COLUMNS + " from merchant where id = ?", this::map, id).stream()
        .findFirst();
  }

  Optional<Merchant> findForTeam(String id, String team) {
    return jdbc
        .query(
            "select " + COLUMNS + " from merchant where id = ? and team = ?", this::map, id, team)
        .stream()
        .findFirst();
  }

  List<Merchant> listForTeam(String team, MerchantStatus status, int limit, int offset) {
    if (status == null) {
      return jdbc.query(
          "select "
              + COLUMNS
              + " from merchant where team = ? order by created_at desc, id limit ? offset ?",
          this::map,
          team,
          limit,
          offset);
    }
    return jdbc.query(
        "select "
            + COLUMNS
            + " from merchant where team = ? and status = ? order by created_at desc, id limit ? offset ?",
        this::map,
        team,
        status.wire(),
        limit,
        offset);
  }

  /** The connected merchant of an organisation, locked for the caller's transaction. */
  Optional<Merchant> findConnectedByOrganisationForUpdate(String organisationId) {
    return jdbc
        .query(
            "select "
                + COLUMNS
                + " from merchant where organisation_id = ? and status = 'connected' for update",
            this::map,
            organisationId)
        .stream()
        .findFirst();
  }

  /** Uses a pending connection's state: true for the first caller only. */
  boolean consumeState(String id) {
    return jdbc.update(
            "update merchant set state_consumed_at = clock_timestamp(), updated_at = clock_timestamp()"
                + " where id = ? and status = 'pending' and state_consumed_at is null",
            id)
        == 1;
  }

  boolean markConnected(
      String id, String organisationId, String creditorId, String verificationStatus, Instant at) {
    return jdbc.update(
            "update merchant set status = 'connected', organisation_id = ?, creditor_id = ?,"
                + " verification_status = ?, connected_at = ?, updated_at = clock_timestamp()"
                + " where id = ? and status = 'pending'",
            organisationId,
            creditorId,
            verificationStatus,
            Timestamp.from(at),
            id)
        == 1;
  }

  boolean markFailed(String id, String reason) {
    return jdbc.update(
            "update merchant set status = 'failed', failure_reason = ?, state_consumed_at ="
                + " coalesce(state_consumed_at, clock_timestamp()), updated_at = clock_timestamp()"
                + " where id = ? and status = 'pending'",
            reason,
            id)
        == 1;
  }

  boolean markDisconnected(String id, String reason, Instant at) {
    return jdbc.update(
            "update merchant set status = 'disconnected', disconnect_reason = ?, disconnected_at = ?,"
                + " updated_at = clock_timestamp() where id = ? and status = 'connected'",
            reason,
            Timestamp.from(at),
            id)
        == 1;
  }

  boolean updateVerification(String id, String creditorId, String verificationStatus) {
    return jdbc.update(
            "update merchant set creditor_id = ?, verification_status = ?, updated_at = clock_timestamp()"
                + " where id = ? and status = 'connected'",
            creditorId,
            verificationStatus,
            id)
        == 1;
  }

  /** Marks pending connections whose state has expired as failed; returns how many. */
  int failExpired(Instant now) {
    return jdbc.update(
        "update merchant set status = 'failed', failure_reason = 'connection_expired',"
            + " updated_at = clock_timestamp() where status = 'pending' and state_expires_at < ?",
        Timestamp.from(now));
  }

  private Merchant map(ResultSet rs, int row) throws SQLException {
    return new Merchant(
        rs.getString("id"),
        rs.getString("team"),
        MerchantStatus.fromWire(rs.getString("status")),
        rs.getString("organisation_id"),
        rs.getString("creditor_id"),
        rs.getString("verification_status"),
        rs.getString("failure_reason"),
        rs.getString("disconnect_reason"),
        rs.getString("state_nonce_hash"),
        instant(rs, "state_expires_at"),
        instant(rs, "state_consumed_at"),
        instant(rs, "created_at"),
        instant(rs, "connected_at"),
        instant(rs, "disconnected_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
