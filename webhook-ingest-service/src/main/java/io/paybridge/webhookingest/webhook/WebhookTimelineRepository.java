package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.outbox.TimelineContributor;
import io.paybridge.platform.outbox.TimelineStep;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * webhook-ingest-service's own part of the event timeline: each GoCardless delivery that carried
 * the event (retries of one webhook share its {@code webhook_id}), the inbox row, and quarantined
 * events and their release. Never a body or a signature.
 */
@Repository
class WebhookTimelineRepository implements TimelineContributor {

  private static final int LIMIT = 500;

  // GoCardless's id prefixes and the resource types their events name: the inbox's resource
  // index is (resource_type, resource_id).
  private static final Map<String, String> RESOURCE_TYPES =
      Map.ofEntries(
          Map.entry("PM", "payments"),
          Map.entry("MD", "mandates"),
          Map.entry("BRQ", "billing_requests"),
          Map.entry("RF", "refunds"),
          Map.entry("SB", "subscriptions"),
          Map.entry("IS", "instalment_schedules"),
          Map.entry("PO", "payouts"),
          Map.entry("CR", "creditors"),
          Map.entry("OR", "organisations"));

  private final JdbcTemplate jdbc;

  WebhookTimelineRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<TimelineStep> steps(String service, Set<String> ids) {
    var steps = new ArrayList<TimelineStep>();
    var deliveryIds = new LinkedHashSet<UUID>();
    var inbox = inbox(service, ids, deliveryIds);
    // Deliveries first: an inbox row's time is its delivery's arrival, and steps of equal time keep
    // this order when sorted.
    steps.addAll(deliveries(service, ids, deliveryIds));
    steps.addAll(inbox);
    steps.addAll(quarantine(service, ids));
    return steps;
  }

  private List<TimelineStep> inbox(String service, Set<String> ids, Set<UUID> deliveryIds) {
    var types = new ArrayList<String>();
    var resources = new ArrayList<String>();
    for (String id : ids) {
      RESOURCE_TYPES.forEach(
          (prefix, type) -> {
            if (id.startsWith(prefix)) {
              types.add(type);
              resources.add(id);
            }
          });
    }
    String[] wanted = ids.toArray(String[]::new);
    return jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select event_id, resource_type, action, resource_id, received_at, delivery_id,"
                      + " released_from from gocardless_event where event_id = any (?)"
                      + " or (resource_type, resource_id) in"
                      + " (select * from unnest(?::text[], ?::text[]))"
                      + " order by received_at limit "
                      + LIMIT);
          statement.setArray(1, connection.createArrayOf("varchar", wanted));
          statement.setArray(2, connection.createArrayOf("text", types.toArray()));
          statement.setArray(3, connection.createArrayOf("text", resources.toArray()));
          return statement;
        },
        (row, i) -> {
          UUID delivery = row.getObject(6, UUID.class);
          deliveryIds.add(delivery);
          var detail = new LinkedHashMap<String, Object>();
          detail.put("eventId", row.getString(1));
          detail.put("resourceType", row.getString(2));
          detail.put("action", row.getString(3));
          if (row.getString(4) != null) {
            detail.put("resourceId", row.getString(4));
          }
          detail.put("deliveryId", delivery.toString());
          long releasedFrom = row.getLong(7);
          if (!row.wasNull()) {
            detail.put("releasedFromQuarantine", releasedFrom);
          }
          return new TimelineStep(
              row.getTimestamp(5).toInstant(),
              service,
              "inbox-stored",
              row.getString(2)
                  + "."
                  + row.getString(3)
                  + " event "
                  + row.getString(1)
                  + " stored in the inbox",
              detail);
        });
  }

  private List<TimelineStep> deliveries(String service, Set<String> ids, Set<UUID> deliveryIds) {
    String[] wanted = ids.toArray(String[]::new);
    UUID[] first = deliveryIds.toArray(UUID[]::new);
    return jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select id, webhook_id, received_at, event_count from webhook_delivery"
                      + " where id = any (?) or webhook_id = any (?) or webhook_id in"
                      + " (select webhook_id from webhook_delivery where id = any (?))"
                      + " order by received_at limit "
                      + LIMIT);
          var deliveries = connection.createArrayOf("uuid", first);
          statement.setArray(1, deliveries);
          statement.setArray(2, connection.createArrayOf("text", wanted));
          statement.setArray(3, deliveries);
          return statement;
        },
        (row, i) -> {
          var detail = new LinkedHashMap<String, Object>();
          detail.put("deliveryId", row.getObject(1, UUID.class).toString());
          if (row.getString(2) != null) {
            detail.put("webhookId", row.getString(2));
          }
          detail.put("eventCount", row.getInt(4));
          return new TimelineStep(
              row.getTimestamp(3).toInstant(),
              service,
              "delivery-received",
              "GoCardless webhook "
                  + (row.getString(2) == null ? "(no webhook id)" : row.getString(2))
                  + " with "
                  + row.getInt(4)
                  + " events received and verified",
              detail);
        });
  }

  private List<TimelineStep> quarantine(String service, Set<String> ids) {
    String[] wanted = ids.toArray(String[]::new);
    var steps = new ArrayList<TimelineStep>();
    jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select id, reason, detail, event_id, created_at, released_at, released_by"
                      + " from quarantined_event where event_id = any (?)"
                      + " order by created_at limit "
                      + LIMIT);
          statement.setArray(1, connection.createArrayOf("text", wanted));
          return statement;
        },
        row -> {
          long id = row.getLong(1);
          var detail = new LinkedHashMap<String, Object>();
          detail.put("quarantineId", id);
          detail.put("eventId", row.getString(4));
          detail.put("reason", row.getString(2));
          detail.put("error", row.getString(3));
          steps.add(
              new TimelineStep(
                  row.getTimestamp(5).toInstant(),
                  service,
                  "quarantined",
                  "Event " + row.getString(4) + " quarantined: " + row.getString(2),
                  detail));
          Timestamp released = row.getTimestamp(6);
          if (released != null) {
            steps.add(
                new TimelineStep(
                    released.toInstant(),
                    service,
                    "replayed",
                    "Quarantined event " + row.getString(4) + " released by an operator",
                    Map.of(
                        "quarantineId",
                        id,
                        "eventId",
                        row.getString(4),
                        "actor",
                        row.getString(7))));
          }
        });
    return steps;
  }
}
