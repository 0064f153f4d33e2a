package io.paybridge.platform.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether the relay may stream its replication slot from its stored position, checked by each new
 * leader before its engine starts.
 *
 * <p>In normal operation the slot's {@code confirmed_flush_lsn} is at or behind the stored
 * position, never ahead: the relay commits each batch's position to Kafka before the engine may
 * flush it, and Debezium confirms to PostgreSQL only flushed positions (the offset's {@code
 * lsn_commit}, else {@code lsn_proc}; {@code lsn.flush.mode=connector}). After a crash the slot may
 * be behind (the next leader re-reads a little WAL it then skips). A slot <em>ahead</em> of the
 * position, or no slot at all, means the slot was replaced or lost: the WAL between the position
 * and the slot's start is gone, and with it any outbox insert committed there.
 */
final class SlotCheck {

  /** Why the relay refuses to stream. */
  enum Refusal {
    /** No slot, although the relay has a position or the platform created one before. */
    SLOT_MISSING("slot_missing"),
    /** The slot's confirmed LSN is past the stored position: a new slot, or advanced by hand. */
    SLOT_AHEAD_OF_POSITION("slot_ahead_of_position"),
    /** PostgreSQL invalidated the slot ({@code wal_status = 'lost'}): its WAL is gone. */
    SLOT_INVALIDATED("slot_invalidated");

    final String code;

    Refusal(String code) {
      this.code = code;
    }
  }

  /**
   * The outcome of a check.
   *
   * @param refusal why not to stream, or {@code null} to stream
   * @param detail for operators: what was compared
   * @param lastRelayedAt the commit time of the last change the stored position covers, when known:
   *     re-publishing from a margin before it covers what the slot lost
   */
  record Verdict(Refusal refusal, String detail, Instant lastRelayedAt) {
    static final Verdict STREAM = new Verdict(null, null, null);

    boolean refused() {
      return refusal != null;
    }
  }

  /** A row of {@code pg_replication_slots}. */
  record Slot(long confirmedFlushLsn, String walStatus) {}

  private SlotCheck() {}

  static Verdict check(Connection connection, String slotName, Optional<RelayPosition> position)
      throws SQLException {
    return judge(
        slotName, readSlot(connection, slotName), position, recorded(connection, slotName));
  }

  static Verdict judge(
      String slotName, Optional<Slot> slot, Optional<RelayPosition> position, boolean recorded) {
    OptionalLong stored = position.map(SlotCheck::storedLsn).orElse(OptionalLong.empty());
    Instant lastRelayedAt = position.flatMap(SlotCheck::commitTime).orElse(null);
    String storedText =
        stored.isPresent()
            ? "the relay's stored position is LSN " + lsnText(stored.getAsLong())
            : "the relay has no stored position";
    if (slot.isEmpty()) {
      if (position.isEmpty() && !recorded) {
        return Verdict.STREAM; // a first start: the slot is created now
      }
      return new Verdict(
          Refusal.SLOT_MISSING,
          "replication slot "
              + slotName
              + " does not exist but "
              + (position.isPresent() ? storedText : "the platform created it before")
              + ": outbox events committed since it was lost may be missing from Kafka",
          lastRelayedAt);
    }
    if ("lost".equals(slot.get().walStatus())) {
      return new Verdict(
          Refusal.SLOT_INVALIDATED,
          "replication slot "
              + slotName
              + " was invalidated by PostgreSQL (wal_status lost, max_slot_wal_keep_size"
              + " exceeded): its WAL is gone; "
              + storedText,
          lastRelayedAt);
    }
    if (stored.isPresent() && slot.get().confirmedFlushLsn() > stored.getAsLong()) {
      return new Verdict(
          Refusal.SLOT_AHEAD_OF_POSITION,
          "replication slot "
              + slotName
              + " has confirmed LSN "
              + lsnText(slot.get().confirmedFlushLsn())
              + ", past "
              + storedText
              + ": the slot was replaced (or advanced by hand), and outbox events between the two"
              + " may be missing from Kafka",
          lastRelayedAt);
    }
    return Verdict.STREAM;
  }

  static Optional<Slot> readSlot(Connection connection, String slotName) throws SQLException {
    try (var statement =
        connection.prepareStatement(
            "select pg_wal_lsn_diff(coalesce(confirmed_flush_lsn, '0/0'), '0/0')::bigint,"
                + " wal_status from pg_replication_slots where slot_name = ?")) {
      statement.setString(1, slotName);
      try (var rows = statement.executeQuery()) {
        return rows.next()
            ? Optional.of(new Slot(rows.getLong(1), rows.getString(2)))
            : Optional.empty();
      }
    }
  }

  static boolean recorded(Connection connection, String slotName) throws SQLException {
    try (var statement =
        connection.prepareStatement(
            "select exists(select 1 from "
                + ReplicationSetup.SLOT_TABLE
                + " where slot_name = ?)")) {
      statement.setString(1, slotName);
      try (var rows = statement.executeQuery()) {
        return rows.next() && rows.getBoolean(1);
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return false; // undefined_table: the platform's V0_2 migration has not run
      }
      throw e;
    }
  }

  /**
   * The highest LSN the engine could have confirmed for this position: Debezium flushes the
   * offset's {@code lsn_commit}, else its {@code lsn_proc}.
   */
  static OptionalLong storedLsn(RelayPosition position) {
    long highest = -1;
    for (String key : new String[] {"lsn_commit", "lsn_proc", "lsn"}) {
      if (position.offset().get(key) instanceof Number number) {
        highest = Math.max(highest, number.longValue());
      }
    }
    return highest < 0 ? OptionalLong.empty() : OptionalLong.of(highest);
  }

  /** The commit time of the position's last change ({@code ts_usec}), when the offset has it. */
  static Optional<Instant> commitTime(RelayPosition position) {
    if (position.offset().get("ts_usec") instanceof Number micros) {
      long value = micros.longValue();
      return Optional.of(Instant.ofEpochSecond(value / 1_000_000, (value % 1_000_000) * 1_000));
    }
    return Optional.empty();
  }

  /** An LSN as PostgreSQL prints it ({@code 16/B374D848}). */
  static String lsnText(long lsn) {
    return String.format("%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
  }
}
