package io.paybridge.billing.merchant;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The {@code merchant} table: the projection of {@code merchants.connection}. */
@Repository
public class MerchantRepository {

  private static final RowMapper<Merchant> ROW =
      (rs, i) ->
          new Merchant(
              rs.getString("id"),
              rs.getString("team"),
              rs.getString("organisation_id"),
              rs.getBoolean("connected"));

  private final JdbcTemplate jdbc;

  MerchantRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void connected(
      String id,
      String team,
      String organisationId,
      String creditorId,
      String verificationStatus,
      Instant at) {
    jdbc.update(
        """
        insert into merchant (id, team, organisation_id, creditor_id, verification_status, connected, updated_at)
        values (?, ?, ?, ?, ?, true, ?)
        on conflict (id) do update set team = excluded.team, organisation_id = excluded.organisation_id,
            creditor_id = excluded.creditor_id, verification_status = excluded.verification_status,
            connected = true, updated_at = excluded.updated_at
        """,
        id,
        team,
        organisationId,
        creditorId,
        verificationStatus,
        Timestamp.from(at));
  }

  void verificationChanged(String id, String verificationStatus, Instant at) {
    jdbc.update(
        "update merchant set verification_status = ?, updated_at = ? where id = ?",
        verificationStatus,
        Timestamp.from(at),
        id);
  }

  void disconnected(String id, String team, String organisationId, Instant at) {
    jdbc.update(
        """
        insert into merchant (id, team, organisation_id, connected, updated_at) values (?, ?, ?, false, ?)
        on conflict (id) do update set connected = false, updated_at = excluded.updated_at
        """,
        id,
        team,
        organisationId,
        Timestamp.from(at));
  }

  public Optional<Merchant> find(String id) {
    return jdbc.query("select * from merchant where id = ?", ROW, id).stream().findFirst();
  }

  /**
   * The merchant PayBridge has for a GoCardless organisation: its connected one (the latest, should
   * there be several), else the latest announced, disconnected; empty when none was ever announced.
   * One statement, so that "not connected" and "never announced" are told apart in one snapshot: a
   * connection committed between two reads cannot make a merchant look known but not connected.
   */
  public Optional<Merchant> ofOrganisation(String organisationId) {
    return jdbc
        .query(
            """
            select * from merchant where organisation_id = ?
            order by connected desc, updated_at desc limit 1
            """,
            ROW,
            organisationId)
        .stream()
        .findFirst();
  }
}
