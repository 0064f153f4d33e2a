package io.paybridge.webhookingest.recovery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * Recovery's tables: the connected merchants ({@code recovery_merchant}), how far each organisation
 * has been read ({@code recovery_cursor}) and the runs ({@code recovery_run}).
 */
@Repository
@RecoveryEnabled
class RecoveryRepository {

  private static final RowMapper<Organisation> ORGANISATION =
      (rs, i) ->
          new Organisation(
              rs.getString("organisation_id"),
              rs.getString("merchant_id"),
              instant(rs, "connected_at"));

  private final JdbcTemplate jdbc;

  RecoveryRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void connected(String merchantId, String team, String organisationId, Instant connectedAt) {
    jdbc.update(
        """
        insert into recovery_merchant (merchant_id, team, organisation_id, connected, connected_at, updated_at)
        values (?, ?, ?, true, ?, ?)
        on conflict (merchant_id) do update set team = excluded.team,
            organisation_id = excluded.organisation_id, connected = true,
            connected_at = excluded.connected_at, updated_at = excluded.updated_at
        """,
        merchantId,
        team,
        organisationId,
        Timestamp.from(connectedAt),
        Timestamp.from(connectedAt));
  }

  void disconnected(String merchantId, String team, String organisationId, Instant at) {
    jdbc.update(
        """
        insert into recovery_merchant (merchant_id, team, organisation_id, connected, updated_at)
        values (?, ?, ?, false, ?)
        on conflict (merchant_id) do update set connected = false, updated_at = excluded.updated_at
        """,
        merchantId,
        team,
        organisationId,
        Timestamp.from(at));
  }

  /**
   * Every organisation with a connected merchant, with the merchant whose token reads it (the one
   * connected last, when several teams connected the same organisation).
   */
  List<Organisation> connectedOrganisations() {
    return jdbc.query(
        """
        select distinct on (organisation_id) organisation_id, merchant_id, connected_at
        from recovery_merchant where connected
        order by organisation_id, connected_at desc nulls last
        """,
        ORGANISATION);
  }

  Optional<Organisation> connectedOrganisation(String organisationId) {
    return jdbc
        .query(
            """
            select organisation_id, merchant_id, connected_at from recovery_merchant
            where organisation_id = ? and connected
            order by connected_at desc nulls last limit 1
            """,
            ORGANISATION,
            organisationId)
        .stream()
        .findFirst();
  }

  /**
   * Takes the organisation's cursor for a scheduled run unless another instance holds it: its lease
   * is given to {@code owner} until {@code leaseUntil}.
   *
   * @param startIfNew where a cursor that does not exist yet starts
   * @return where the last run ended (events created before it have been read), or empty when
   *     another run holds the organisation
   */
  Optional<Instant> claim(
      String organisationId, Instant startIfNew, String owner, Instant now, Instant leaseUntil) {
    jdbc.update(
        """
        insert into recovery_cursor (organisation_id, read_until, updated_at) values (?, ?, ?)
        on conflict (organisation_id) do nothing
        """,
        organisationId,
        Timestamp.from(startIfNew),
        Timestamp.from(now));
    return jdbc
        .query(
            """
            update recovery_cursor set lease_owner = ?, lease_until = ?
            where organisation_id = ? and (lease_until is null or lease_until < ?)
            returning read_until
            """,
            (rs, i) -> instant(rs, "read_until"),
            owner,
            Timestamp.from(leaseUntil),
            organisationId,
            Timestamp.from(now))
        .stream()
        .findFirst();
  }

  /** Extends the lease while the run goes on. */
  void renew(String organisationId, String owner, Instant leaseUntil) {
    jdbc.update(
        "update recovery_cursor set lease_until = ? where organisation_id = ? and lease_owner = ?",
        Timestamp.from(leaseUntil),
        organisationId,
        owner);
  }

  /**
   * Moves the cursor to {@code readUntil} once a run has read everything before it, and frees the
   * organisation; never backwards.
   */
  void advance(
      String organisationId, String owner, Instant readUntil, String lastEventId, Instant now) {
    jdbc.update(
        """
        update recovery_cursor set read_until = greatest(read_until, ?),
            last_event_id = coalesce(?, last_event_id), lease_owner = null, lease_until = null,
            updated_at = ?
        where organisation_id = ? and lease_owner = ?
        """,
        Timestamp.from(readUntil),
        lastEventId,
        Timestamp.from(now),
        organisationId,
        owner);
  }

  /** Frees the organisation after a failed run; the cursor stays where it was. */
  void release(String organisationId, String owner) {
    jdbc.update(
        """
        update recovery_cursor set lease_owner = null, lease_until = null
        where organisation_id = ? and lease_owner = ?
        """,
        organisationId,
        owner);
  }

  long startRun(
      Organisation organisation,
      String trigger,
      String requestedBy,
      Instant from,
      Instant until,
      Instant now) {
    Long id =
        jdbc.queryForObject(
            """
            insert into recovery_run (organisation_id, merchant_id, trigger, requested_by,
                created_from, created_until, status, started_at, heartbeat_at)
            values (?, ?, ?, ?, ?, ?, 'running', ?, ?)
            returning id
            """,
            Long.class,
            organisation.organisationId(),
            organisation.merchantId(),
            trigger,
            requestedBy,
            Timestamp.from(from),
            Timestamp.from(until),
            Timestamp.from(now),
            Timestamp.from(now));
    return id;
  }

  /** Counts a stored page in its run, in the page's transaction, and shows the run alive. */
  void pageStored(
      long runId, int read, int recovered, int alreadyReceived, int quarantined, Instant now) {
    jdbc.update(
        """
        update recovery_run set pages = pages + 1, events_read = events_read + ?,
            events_recovered = events_recovered + ?,
            events_already_received = events_already_received + ?,
            events_quarantined = events_quarantined + ?, heartbeat_at = ?
        where id = ?
        """,
        read,
        recovered,
        alreadyReceived,
        quarantined,
        Timestamp.from(now),
        runId);
  }

  void finish(long runId, boolean succeeded, String error, Instant now) {
    jdbc.update(
        """
        update recovery_run set status = ?, error = ?, finished_at = ?, heartbeat_at = ?
        where id = ?
        """,
        succeeded ? "succeeded" : "failed",
        error,
        Timestamp.from(now),
        Timestamp.from(now),
        runId);
  }

  /**
   * A run as operators see it: a run still {@code running} whose last sign of life is older than
   * {@code abandonedBefore} is {@code abandoned} (its instance stopped).
   */
  Optional<RecoveryRun> find(long id, Instant abandonedBefore) {
    return jdbc
        .query("select * from recovery_run where id = ?", (rs, i) -> run(rs, abandonedBefore), id)
        .stream()
        .findFirst();
  }

  /** The latest runs, newest first; of one organisation when {@code organisationId} is given. */
  List<RecoveryRun> list(String organisationId, int limit, Instant abandonedBefore) {
    return organisationId == null
        ? jdbc.query(
            "select * from recovery_run order by started_at desc, id desc limit ?",
            (rs, i) -> run(rs, abandonedBefore),
            limit)
        : jdbc.query(
            """
            select * from recovery_run where organisation_id = ?
            order by started_at desc, id desc limit ?
            """,
            (rs, i) -> run(rs, abandonedBefore),
            organisationId,
            limit);
  }

  private static RecoveryRun run(ResultSet rs, Instant abandonedBefore) throws SQLException {
    String status = rs.getString("status");
    Instant heartbeat = instant(rs, "heartbeat_at");
    if ("running".equals(status) && heartbeat.isBefore(abandonedBefore)) {
      status = "abandoned";
    }
    return new RecoveryRun(
        rs.getLong("id"),
        rs.getString("organisation_id"),
        rs.getString("merchant_id"),
        rs.getString("trigger"),
        rs.getString("requested_by"),
        instant(rs, "created_from"),
        instant(rs, "created_until"),
        status,
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        rs.getInt("pages"),
        rs.getInt("events_read"),
        rs.getInt("events_recovered"),
        rs.getInt("events_already_received"),
        rs.getInt("events_quarantined"),
        rs.getString("error"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }

  /** A connected organisation and the merchant whose token reads its events. */
  record Organisation(String organisationId, String merchantId, Instant connectedAt) {}
}
