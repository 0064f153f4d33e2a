package io.paybridge.platform.outbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The platform's part of the event timeline, from the platform tables every service has: outbox
 * rows ({@code outbox-written}) and where the relay committed them ({@code kafka-record}: topic,
 * partition, offset), events applied by the service's consumers ({@code consumed}), and records
 * Kafka refused for good that the relay parked ({@code dead-lettered}).
 *
 * <p>Ids are matched against the outbox row's id (the event id) and key (the resource id), the
 * {@code gocardlessEventId} of a fact's payload (for a GoCardless event id, {@code EV…}: a scan of
 * the kept outbox rows), the consumed event ids and the parked records' event ids and keys.
 */
public class OutboxTimelineRepository implements TimelineContributor {

  /** At most this many rows of each kind per question. */
  static final int LIMIT = 500;

  // The distinct consumers by a walk of the primary key's index (one probe each), then their rows
  // for the ids by the same index: no scan of consumed_message, whose event id is its key's
  // second column.
  private static final String CONSUMED =
      """
      with recursive consumers (name) as (
          (select consumer from consumed_message order by consumer limit 1)
          union all
          select (select consumer from consumed_message where consumer > consumers.name
                  order by consumer limit 1)
          from consumers where consumers.name is not null)
      select m.consumer, m.event_id, m.consumed_at
      from consumers join consumed_message m on m.consumer = consumers.name
      where m.event_id = any (?)
      order by m.consumed_at
      limit %d"""
          .formatted(LIMIT);

  private final JdbcTemplate jdbc;

  public OutboxTimelineRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<TimelineStep> steps(String service, Set<String> ids) {
    var steps = new ArrayList<TimelineStep>();
    steps.addAll(outbox(service, ids));
    steps.addAll(consumed(service, ids));
    steps.addAll(parked(service, ids));
    return steps;
  }

  private List<TimelineStep> outbox(String service, Set<String> ids) {
    String[] wanted = ids.toArray(String[]::new);
    // A fact names the GoCardless event that caused it in its payload ("gocardlessEventId").
    // Matched
    // in the payload's text, not with a JSON operator: PostgreSQL's json and jsonb operators refuse
    // a payload holding a NUL escape, and one such row would fail every question.
    String gocardlessEvents =
        ids.stream()
            .filter(id -> id.startsWith("EV"))
            .map(id -> id.replace(".", "\\."))
            .collect(java.util.stream.Collectors.joining("|"));
    boolean gocardlessEvent = !gocardlessEvents.isEmpty();
    String sql =
        "select id, aggregatetype, aggregateid, type, tenant, created_at, p.kafka_partition,"
            + " p.kafka_offset, p.relayed_at, "
            + (gocardlessEvent
                ? "substring(payload::text from '\"gocardlessEventId\"\\s*:\\s*\"([^\"]*)\"')"
                : "null")
            + " from outbox_event left join outbox_placement p on p.event_id = outbox_event.id"
            + " where id = any (?) or aggregateid = any (?)"
            + (gocardlessEvent ? " or payload::text ~ ?" : "")
            + " order by created_at limit "
            + LIMIT;
    String gocardlessEventPattern = "\"gocardlessEventId\"\\s*:\\s*\"(" + gocardlessEvents + ")\"";
    var steps = new ArrayList<TimelineStep>();
    jdbc.query(
        connection -> {
          var statement = connection.prepareStatement(sql);
          var array = connection.createArrayOf("varchar", wanted);
          statement.setArray(1, array);
          statement.setArray(2, array);
          if (gocardlessEvent) {
            statement.setString(3, gocardlessEventPattern);
          }
          return statement;
        },
        row -> {
          String eventId = row.getString(1);
          String topic = row.getString(2);
          String key = row.getString(3);
          String type = row.getString(4);
          var written = new LinkedHashMap<String, Object>();
          written.put("eventId", eventId);
          written.put("eventType", type);
          written.put("topic", topic);
          written.put("key", key);
          putIfPresent(written, "team", row.getString(5));
          putIfPresent(written, "gocardlessEventId", row.getString(10));
          steps.add(
              new TimelineStep(
                  instant(row.getTimestamp(6)),
                  service,
                  "outbox-written",
                  type
                      + " "
                      + eventId
                      + " written to the outbox for "
                      + topic
                      + " (key "
                      + key
                      + ")",
                  written));
          Timestamp relayedAt = row.getTimestamp(9);
          if (relayedAt != null) {
            int partition = row.getInt(7);
            long offset = row.getLong(8);
            var record = new LinkedHashMap<String, Object>();
            record.put("eventId", eventId);
            record.put("eventType", type);
            record.put("topic", topic);
            record.put("partition", partition);
            record.put("offset", offset);
            record.put("key", key);
            steps.add(
                new TimelineStep(
                    relayedAt.toInstant(),
                    service,
                    "kafka-record",
                    type
                        + " "
                        + eventId
                        + " committed to "
                        + topic
                        + "-"
                        + partition
                        + " at offset "
                        + offset,
                    record));
          }
        });
    return steps;
  }

  private List<TimelineStep> consumed(String service, Set<String> ids) {
    String[] wanted = ids.toArray(String[]::new);
    return jdbc.query(
        connection -> {
          var statement = connection.prepareStatement(CONSUMED);
          statement.setArray(1, connection.createArrayOf("varchar", wanted));
          return statement;
        },
        (row, i) ->
            new TimelineStep(
                instant(row.getTimestamp(3)),
                service,
                "consumed",
                row.getString(1) + " applied event " + row.getString(2),
                Map.of("consumer", row.getString(1), "eventId", row.getString(2))));
  }

  private List<TimelineStep> parked(String service, Set<String> ids) {
    String[] wanted = ids.toArray(String[]::new);
    return jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select id, event_id, topic, record_key, reason, error, parked_at, resent_at,"
                      + " discarded_at from outbox_parked"
                      + " where event_id = any (?) or record_key = any (?)"
                      + " order by parked_at limit "
                      + LIMIT);
          var array = connection.createArrayOf("varchar", wanted);
          statement.setArray(1, array);
          statement.setArray(2, array);
          return statement;
        },
        (row, i) -> {
          var detail = new LinkedHashMap<String, Object>();
          detail.put("parkedId", row.getLong(1));
          detail.put("eventId", row.getString(2));
          detail.put("topic", row.getString(3));
          detail.put("key", row.getString(4));
          detail.put("reason", row.getString(5));
          putIfPresent(detail, "error", row.getString(6));
          putIfPresent(detail, "resentAt", text(row.getTimestamp(8)));
          putIfPresent(detail, "discardedAt", text(row.getTimestamp(9)));
          return new TimelineStep(
              instant(row.getTimestamp(7)),
              service,
              "dead-lettered",
              "Kafka refused "
                  + row.getString(2)
                  + " for "
                  + row.getString(3)
                  + " ("
                  + row.getString(5)
                  + "): parked by the relay",
              detail);
        });
  }

  private static void putIfPresent(Map<String, Object> detail, String name, Object value) {
    if (value != null) {
      detail.put(name, value);
    }
  }

  private static String text(Timestamp time) {
    return time == null ? null : time.toInstant().toString();
  }

  private static Instant instant(Timestamp time) {
    return time.toInstant();
  }
}
