package io.paybridge.oauth.merchant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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
          + " connected_at, disconnected_at, expected_email, expected_company_name, review_mismatches,"
          + " received_email, received_company_name, reviewed_by, reviewed_at";

  private final JdbcTemplate jdbc;

  MerchantRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insertPending(
      String id, String team, String nonceHash, Instant expiresAt, MerchantExpectations expected) {
    jdbc.update(
        "insert into merchant (id, team, status, state_nonce_hash, state_expires_at, expected_email,"
            + " expected_company_name) values (?, ?, 'pending', ?, ?, ?, ?)",
        id,
        team,
        nonceHash,
        Timestamp.from(expiresAt),
        expected.email(),
        expected.companyName());
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

  /**
   * The merchant that holds an organisation (connected, or held for review), locked for the
   * caller's transaction.
   */
  Optional<Merchant> findHoldingOrganisationForUpdate(String organisationId) {
    return jdbc
        .query(
            "select "
                + COLUMNS
                + " from merchant where organisation_id = ? and status in ('connected', 'needs_review')"
                + " for update",
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

  /**
   * Holds a pending connection for review, keeping only the received values that differed from the
   * expectation.
   */
  boolean markNeedsReview(
      String id,
      String organisationId,
      String creditorId,
      String verificationStatus,
      List<String> mismatches,
      String receivedEmail,
      String receivedCompanyName) {
    return jdbc.update(
            "update merchant set status = 'needs_review', organisation_id = ?, creditor_id = ?,"
                + " verification_status = ?, review_mismatches = ?, received_email = ?,"
                + " received_company_name = ?, updated_at = clock_timestamp()"
                + " where id = ? and status = 'pending'",
            organisationId,
            creditorId,
            verificationStatus,
            String.join(",", mismatches),
            mismatches.contains(MerchantExpectations.EMAIL) ? receivedEmail : null,
            mismatches.contains(MerchantExpectations.COMPANY_NAME) ? receivedCompanyName : null,
            id)
        == 1;
  }

  /** The team confirmed a held connection: it is connected from now on. */
  boolean markReviewConfirmed(
      String id, String creditorId, String verificationStatus, Instant at, String reviewedBy) {
    return jdbc.update(
            "update merchant set status = 'connected', creditor_id = ?, verification_status = ?,"
                + " connected_at = ?, reviewed_by = ?, reviewed_at = ?, updated_at = clock_timestamp()"
                + " where id = ? and status = 'needs_review'",
            creditorId,
            verificationStatus,
            Timestamp.from(at),
            reviewedBy,
            Timestamp.from(at),
            id)
        == 1;
  }

  /** A held connection ends without ever being connected (rejected, or revoked meanwhile). */
  boolean markReviewFailed(String id, String reason, Instant at, String reviewedBy) {
    return jdbc.update(
            "update merchant set status = 'failed', failure_reason = ?, reviewed_by = ?,"
                + " reviewed_at = ?, updated_at = clock_timestamp()"
                + " where id = ? and status = 'needs_review'",
            reason,
            reviewedBy,
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

  /**
   * Marks pending connections whose state has expired as failed; returns how many. A connection
   * whose state was consumed has a callback exchanging its code: it is left to that callback,
   * unless the state was consumed longer than {@code abandonedAfter} ago (on the database's clock,
   * which stamped it), when no callback can still be running.
   */
  int failExpired(Instant now, Duration abandonedAfter) {
    return jdbc.update(
        "update merchant set status = 'failed', failure_reason = case when state_consumed_at is null"
            + " then 'connection_expired' else 'callback_interrupted' end,"
            + " state_consumed_at = coalesce(state_consumed_at, clock_timestamp()),"
            + " updated_at = clock_timestamp() where status = 'pending' and state_expires_at < ?"
            + " and (state_consumed_at is null"
            + " or state_consumed_at < clock_timestamp() - make_interval(secs => ?))",
        Timestamp.from(now),
        (double) abandonedAfter.toMillis() / 1000);
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
        instant(rs, "disconnected_at"),
        new MerchantExpectations(
            rs.getString("expected_email"), rs.getString("expected_company_name")),
        mismatches(rs.getString("review_mismatches")),
        rs.getString("received_email"),
        rs.getString("received_company_name"),
        rs.getString("reviewed_by"),
        instant(rs, "reviewed_at"));
  }

  private static List<String> mismatches(String column) {
    return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(","));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
