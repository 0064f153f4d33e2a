package io.paybridge.platform.outbox;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An operator's side of a lost or replaced replication slot: what the relay's check says now, and
 * the acknowledgement that lets the relay stream again.
 *
 * <p>Acknowledging accepts that the WAL between the relay's stored position and the slot is gone:
 * it creates the slot if it is missing (a new, invalidated one is replaced), records the
 * acknowledgement in {@code outbox_replication_slot}, and resets the relay's position (a tombstone
 * on its position topic; {@code outbox_relay_offset} emptied), so that the leader, which checks
 * again every {@code leader-poll-interval}, streams from the slot. What was committed in the gap is
 * then re-published from the kept outbox rows ({@link OutboxRepublisher}) over the range the
 * acknowledgement returns: from a margin before the last relayed change to the moment the slot
 * existed. Acknowledge first, then re-publish: until the slot exists, nothing retains new changes.
 */
public class SlotRecovery {

  private static final Logger log = LoggerFactory.getLogger(SlotRecovery.class);

  /**
   * How far before the last relayed change a re-publication starts: a transaction inserts its rows
   * ({@code created_at}) before it commits, so rows of a transaction still open when the position
   * was committed can be older than it.
   */
  static final Duration REPUBLISH_MARGIN = Duration.ofMinutes(10);

  private final OutboxProperties properties;
  private final JdbcTemplate jdbc;
  private final PositionTopic positions;
  private final LegacyJdbcPosition legacy;

  SlotRecovery(
      OutboxProperties properties,
      JdbcTemplate jdbc,
      PositionTopic positions,
      LegacyJdbcPosition legacy) {
    this.properties = properties;
    this.jdbc = jdbc;
    this.positions = positions;
    this.legacy = legacy;
  }

  /** The slot check as a new leader would make it now (reads the position from Kafka). */
  public Map<String, Object> status() {
    var verdict = verdict();
    var status = new LinkedHashMap<String, Object>();
    status.put("slot", properties.slotName());
    status.put("streamable", !verdict.refused());
    if (verdict.refused()) {
      status.put("reason", verdict.refusal().code);
      status.put("detail", verdict.detail());
      status.put("lastRelayedAt", text(verdict.lastRelayedAt()));
    }
    jdbc.query(
        "select created_at, created_lsn::text, acknowledged_at, acknowledged_note from "
            + ReplicationSetup.SLOT_TABLE
            + " where slot_name = ?",
        rows -> {
          status.put("slotCreatedAt", text(rows.getTimestamp(1)));
          status.put("slotCreatedLsn", rows.getString(2));
          status.put("acknowledgedAt", text(rows.getTimestamp(3)));
          status.put("acknowledgedNote", rows.getString(4));
        },
        properties.slotName());
    return status;
  }

  /**
   * Accepts the slot as it is now (creating it if missing) and resets the relay's position.
   *
   * @param note who acknowledges and why, kept in {@code outbox_replication_slot}
   * @return what was acknowledged and the range to re-publish ({@code republishFrom}, {@code
   *     republishTo})
   * @throws IllegalStateException when the relay's check does not refuse the slot: there is nothing
   *     to acknowledge, and resetting the position would only re-send events
   */
  public Map<String, Object> acknowledge(String note)
      throws InterruptedException, ExecutionException, TimeoutException, SQLException {
    if (note == null || note.isBlank()) {
      throw new IllegalArgumentException("An acknowledgement needs a note: who, and why");
    }
    var verdict = verdict();
    if (!verdict.refused()) {
      throw new IllegalStateException(
          "The relay does not refuse slot " + properties.slotName() + ": nothing to acknowledge");
    }
    String slot = properties.slotName();
    if (verdict.refusal() == SlotCheck.Refusal.SLOT_INVALIDATED) {
      jdbc.queryForList("select pg_drop_replication_slot(?)", slot);
    }
    if (verdict.refusal() != SlotCheck.Refusal.SLOT_AHEAD_OF_POSITION) {
      ReplicationSetup.createSlot(jdbc, slot);
    }
    // Rows created from now on are in the slot's WAL (their transactions commit after it exists).
    Timestamp slotSince = jdbc.queryForObject("select clock_timestamp()", Timestamp.class);
    jdbc.update(
        "insert into "
            + ReplicationSetup.SLOT_TABLE
            + " (slot_name, created_lsn, acknowledged_at, acknowledged_note)"
            + " select slot_name, confirmed_flush_lsn, clock_timestamp(), ? from pg_replication_slots"
            + " where slot_name = ? on conflict (slot_name) do update set"
            + " acknowledged_at = excluded.acknowledged_at,"
            + " acknowledged_note = excluded.acknowledged_note",
        note,
        slot);
    positions.reset();
    legacy.forget();
    Instant from =
        verdict.lastRelayedAt() == null ? null : verdict.lastRelayedAt().minus(REPUBLISH_MARGIN);
    log.warn(
        "Outbox slot {} of {} acknowledged ({}): {}. The relay streams from the slot now;"
            + " re-publish from {} to {}",
        slot,
        properties.serviceName(),
        note,
        verdict.detail(),
        from == null ? "before the incident" : from,
        slotSince.toInstant());
    var result = new LinkedHashMap<String, Object>();
    result.put("acknowledged", verdict.refusal().code);
    result.put("detail", verdict.detail());
    result.put("lastRelayedAt", text(verdict.lastRelayedAt()));
    result.put("republishFrom", text(from));
    result.put("republishTo", slotSince.toInstant().toString());
    return result;
  }

  SlotCheck.Verdict verdict() {
    // The slot first, then the position: a running relay confirms an LSN to PostgreSQL only after
    // Kafka holds the position that covers it, so a position read after the slot is never behind
    // it. Read the other way round, a relay that moved on in between looks like a replaced slot.
    String slotName = properties.slotName();
    var slot =
        jdbc.execute(
            (ConnectionCallback<SlotState>)
                connection ->
                    new SlotState(
                        SlotCheck.readSlot(connection, slotName),
                        SlotCheck.recorded(connection, slotName)));
    Optional<RelayPosition> position = positions.readLast();
    if (position.isEmpty()) {
      try {
        position = legacy.read(properties.serviceName() + "-outbox-relay");
      } catch (SQLException e) {
        throw new IllegalStateException("Could not read " + LegacyJdbcPosition.TABLE, e);
      }
    }
    return SlotCheck.judge(slotName, slot.slot(), position, slot.recorded());
  }

  private record SlotState(Optional<SlotCheck.Slot> slot, boolean recorded) {}

  private static String text(Object time) {
    return switch (time) {
      case null -> null;
      case Timestamp timestamp -> timestamp.toInstant().toString();
      default -> time.toString();
    };
  }
}
