package io.paybridge.platform.outbox;

import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Creates the outbox's publication and replication slot at start-up, before the service accepts
 * work. The slot then retains every outbox insert committed from that moment, even before any relay
 * has ever run, so that no committed event can be missed. A slot that existed and is gone is not
 * recreated (see {@link #ensureSlot}).
 */
class ReplicationSetup {

  private static final Logger log = LoggerFactory.getLogger(ReplicationSetup.class);
  private static final String DUPLICATE_OBJECT = "42710";

  /** Where the platform records the slots it created (migration V0_2). */
  static final String SLOT_TABLE = "outbox_replication_slot";

  /** The table the relay's heartbeat writes to, in the publication (migration V0_2). */
  static final String HEARTBEAT_TABLE = "outbox_heartbeat";

  private final JdbcTemplate jdbc;
  private final OutboxProperties properties;

  ReplicationSetup(JdbcTemplate jdbc, OutboxProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  void ensureReplication() {
    String publication = properties.publicationName();
    String slot = properties.slotName();
    Boolean publicationExists =
        jdbc.queryForObject(
            "select exists(select 1 from pg_publication where pubname = ?)",
            Boolean.class,
            publication);
    if (!Boolean.TRUE.equals(publicationExists)) {
      // Inserts only: deletes of relayed rows (the retention job) never need decoding.
      ignoreConcurrentCreation(
          () ->
              jdbc.execute(
                  "create publication "
                      + quoteIdentifier(publication)
                      + " for table outbox_event, "
                      + HEARTBEAT_TABLE
                      + " with (publish = 'insert')"));
      log.info("Created publication {} on outbox_event and {}", publication, HEARTBEAT_TABLE);
    } else {
      includeHeartbeatTable(publication);
    }
    ensureSlot(slot);
  }

  /**
   * Creates the slot on a first start only. A slot that the platform created before (a row in
   * {@value #SLOT_TABLE}) and that is gone now was lost (a failover without slot sync, a manual
   * drop): events committed since it went are not in any WAL the relay can read, so creating a new
   * slot here would hide the loss. It is left missing; the relay refuses to stream and reports
   * {@code slot_missing} until an operator acknowledges it (runbook).
   */
  private void ensureSlot(String slot) {
    Boolean slotExists =
        jdbc.queryForObject(
            "select exists(select 1 from pg_replication_slots where slot_name = ?)",
            Boolean.class,
            slot);
    Boolean recorded =
        jdbc.queryForObject(
            "select exists(select 1 from " + SLOT_TABLE + " where slot_name = ?)",
            Boolean.class,
            slot);
    if (Boolean.TRUE.equals(slotExists)) {
      if (!Boolean.TRUE.equals(recorded)) {
        // A slot from before the platform recorded its slots: adopt it.
        jdbc.update(
            "insert into "
                + SLOT_TABLE
                + " (slot_name, created_lsn) select slot_name, confirmed_flush_lsn"
                + " from pg_replication_slots where slot_name = ? on conflict do nothing",
            slot);
      }
      return;
    }
    if (Boolean.TRUE.equals(recorded)) {
      log.error(
          "Replication slot {} is missing although it was created before ({}): events committed"
              + " since it was lost may never have reached Kafka. Not creating a new one; the relay"
              + " refuses to stream until an operator acknowledges the loss (runbook: a lost or"
              + " replaced slot)",
          slot,
          SLOT_TABLE);
      return;
    }
    createSlot(jdbc, slot);
  }

  /** Creates the slot and records it; a concurrent creation by another replica is fine. */
  static void createSlot(JdbcTemplate jdbc, String slot) {
    ignoreConcurrentCreation(
        () ->
            jdbc.queryForObject(
                "select lsn::text from pg_create_logical_replication_slot(?, 'pgoutput')",
                String.class,
                slot));
    jdbc.update(
        "insert into "
            + SLOT_TABLE
            + " (slot_name, created_lsn) select slot_name, confirmed_flush_lsn"
            + " from pg_replication_slots where slot_name = ?"
            + " on conflict (slot_name) do update set created_at = clock_timestamp(),"
            + " created_lsn = excluded.created_lsn",
        slot);
    log.info("Created logical replication slot {}", slot);
  }

  /** Publications created before the heartbeat table existed get it added. */
  private void includeHeartbeatTable(String publication) {
    Boolean included =
        jdbc.queryForObject(
            "select exists(select 1 from pg_publication_tables where pubname = ?"
                + " and schemaname = current_schema() and tablename = ?)",
            Boolean.class,
            publication,
            HEARTBEAT_TABLE);
    if (!Boolean.TRUE.equals(included)) {
      ignoreConcurrentCreation(
          () ->
              jdbc.execute(
                  "alter publication "
                      + quoteIdentifier(publication)
                      + " add table "
                      + HEARTBEAT_TABLE));
      log.info("Added {} to publication {}", HEARTBEAT_TABLE, publication);
    }
  }

  private static void ignoreConcurrentCreation(Runnable creation) {
    try {
      creation.run();
    } catch (RuntimeException e) {
      // Another replica starting at the same moment created it first: that is fine.
      if (!(e.getCause() instanceof SQLException sql
          && DUPLICATE_OBJECT.equals(sql.getSQLState()))) {
        throw e;
      }
    }
  }

  static String quoteIdentifier(String identifier) {
    if (!identifier.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("Not a plain PostgreSQL identifier: " + identifier);
    }
    return identifier;
  }
}
