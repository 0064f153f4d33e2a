package io.paybridge.platform.outbox;

import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Creates the outbox's publication and replication slot at start-up, before the service accepts
 * work. The slot then retains every outbox insert committed from that moment, even before any relay
 * has ever run, so that no committed event can be missed.
 */
class ReplicationSetup {

  private static final Logger log = LoggerFactory.getLogger(ReplicationSetup.class);
  private static final String DUPLICATE_OBJECT = "42710";

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
      // Inserts only: deletes of relayed rows never need decoding.
      ignoreConcurrentCreation(
          () ->
              jdbc.execute(
                  "create publication "
                      + quoteIdentifier(publication)
                      + " for table outbox_event with (publish = 'insert')"));
      log.info("Created publication {} on outbox_event", publication);
    }
    Boolean slotExists =
        jdbc.queryForObject(
            "select exists(select 1 from pg_replication_slots where slot_name = ?)",
            Boolean.class,
            slot);
    if (!Boolean.TRUE.equals(slotExists)) {
      ignoreConcurrentCreation(
          () ->
              jdbc.queryForObject(
                  "select lsn::text from pg_create_logical_replication_slot(?, 'pgoutput')",
                  String.class,
                  slot));
      log.info("Created logical replication slot {}", slot);
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
