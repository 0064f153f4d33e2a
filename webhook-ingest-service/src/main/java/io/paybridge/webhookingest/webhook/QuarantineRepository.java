package io.paybridge.webhookingest.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Correctly signed content that could not be routed ({@code quarantined_event}). */
@Repository
class QuarantineRepository {

  // The content hash is unique: GoCardless's retries of a delivery (and any other delivery with
  // the same bad event) find the row already there and add nothing.
  private static final String INSERT =
      """
      insert into quarantined_event
          (delivery_id, event_index, content_sha256, raw_event, reason, detail, event_id, created_at)
      values (?, ?, ?, ?, ?, ?, ?, ?)
      on conflict (content_sha256) do nothing
      returning id
      """;

  private static final String SELECT =
      """
      select q.id, q.delivery_id, d.webhook_id, q.event_index, q.reason, q.detail, q.event_id,
             q.raw_event, q.created_at, q.released_at, q.released_by, q.release_reason, q.corrected
      from quarantined_event q left join webhook_delivery d on d.id = q.delivery_id
      """;

  private final JdbcTemplate jdbc;

  QuarantineRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Quarantines one event of a delivery; empty when the same event is already quarantined. */
  Optional<Long> insertEvent(UUID deliveryId, ParsedEvent.Rejected event, Instant at) {
    return insert(
        deliveryId,
        event.index(),
        sha256("event", event.json().getBytes(StandardCharsets.UTF_8)),
        event.json(),
        event.reason(),
        event.detail(),
        event.eventId(),
        at);
  }

  /**
   * Quarantines a whole body that is not a webhook (its bytes stay in {@code webhook_delivery});
   * empty when the same body is already quarantined.
   */
  Optional<Long> insertBody(UUID deliveryId, byte[] body, String detail, Instant at) {
    return insert(
        deliveryId,
        null,
        sha256("body", body),
        null,
        QuarantineReason.MALFORMED_BODY,
        detail,
        null,
        at);
  }

  private Optional<Long> insert(
      UUID deliveryId,
      Integer index,
      byte[] hash,
      String raw,
      QuarantineReason reason,
      String detail,
      String eventId,
      Instant at) {
    return jdbc
        .queryForList(
            INSERT,
            Long.class,
            deliveryId,
            index,
            hash,
            raw,
            reason.tag(),
            detail,
            eventId,
            Timestamp.from(at))
        .stream()
        .findFirst();
  }

  /** The newest quarantined events first; only those not released yet unless {@code all}. */
  List<QuarantinedEvent> list(boolean all, int limit) {
    return jdbc.query(
        SELECT
            + (all ? "" : " where q.released_at is null")
            + " order by q.created_at desc, q.id desc limit ?",
        QuarantineRepository::row,
        limit);
  }

  Optional<QuarantinedEvent> find(long id) {
    return jdbc.query(SELECT + " where q.id = ?", QuarantineRepository::row, id).stream()
        .findFirst();
  }

  /**
   * The quarantined event {@code id}, locked until the transaction ends: two operators releasing it
   * at once are served one after the other.
   */
  Optional<QuarantinedEvent> findForRelease(long id) {
    return jdbc
        .query(SELECT + " where q.id = ? for update of q", QuarantineRepository::row, id)
        .stream()
        .findFirst();
  }

  void markReleased(long id, Instant at, String operator, String reason, String corrected) {
    jdbc.update(
        """
        update quarantined_event
        set released_at = ?, released_by = ?, release_reason = ?, corrected = ?
        where id = ?
        """,
        Timestamp.from(at),
        operator,
        reason,
        corrected,
        id);
  }

  /** Quarantined events no operator has released yet (the partial index makes this cheap). */
  long countUnreleased() {
    Long count =
        jdbc.queryForObject(
            "select count(*) from quarantined_event where released_at is null", Long.class);
    return count == null ? 0 : count;
  }

  private static QuarantinedEvent row(ResultSet rows, int n) throws SQLException {
    Timestamp releasedAt = rows.getTimestamp("released_at");
    return new QuarantinedEvent(
        rows.getLong("id"),
        rows.getObject("delivery_id", UUID.class),
        rows.getString("webhook_id"),
        (Integer) rows.getObject("event_index"),
        rows.getString("reason"),
        rows.getString("detail"),
        rows.getString("event_id"),
        rows.getString("raw_event"),
        rows.getTimestamp("created_at").toInstant(),
        releasedAt == null ? null : releasedAt.toInstant(),
        rows.getString("released_by"),
        rows.getString("release_reason"),
        rows.getString("corrected"));
  }

  // The kind is hashed too, so that a quarantined body never collides with an event of the same
  // bytes.
  private static byte[] sha256(String kind, byte[] content) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      digest.update(kind.getBytes(StandardCharsets.US_ASCII));
      digest.update((byte) 0);
      return digest.digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
