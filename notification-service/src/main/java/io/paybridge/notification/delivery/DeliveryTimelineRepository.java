package io.paybridge.notification.delivery;

import io.paybridge.platform.outbox.TimelineContributor;
import io.paybridge.platform.outbox.TimelineStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * notification-service's own part of the event timeline: every attempt to deliver a fact (by its
 * event id) to a team's endpoint, succeeded ({@code notification-delivered}) or not ({@code
 * notification-failed}, with the outcome and status). Never the body, the URL or a secret: the
 * endpoint's id and team say where.
 */
@Repository
class DeliveryTimelineRepository implements TimelineContributor {

  private static final int LIMIT = 500;

  private final JdbcTemplate jdbc;

  DeliveryTimelineRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<TimelineStep> steps(String service, Set<String> ids) {
    String[] wanted = ids.toArray(String[]::new);
    return jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select d.id, d.fact_id, d.event_type, d.endpoint_id, d.team, e.kind,"
                      + " a.attempt, a.attempted_at, a.outcome, a.status_code, a.error"
                      + " from delivery d join endpoint e on e.id = d.endpoint_id"
                      + " join delivery_attempt a on a.delivery_id = d.id"
                      + " where d.fact_id = any (?)"
                      + " order by a.attempted_at limit "
                      + LIMIT);
          statement.setArray(1, connection.createArrayOf("varchar", wanted));
          return statement;
        },
        (row, i) -> {
          boolean succeeded = "succeeded".equals(row.getString(9));
          var detail = new LinkedHashMap<String, Object>();
          detail.put("deliveryId", row.getString(1));
          detail.put("eventId", row.getString(2));
          detail.put("eventType", row.getString(3));
          detail.put("endpointId", row.getString(4));
          detail.put("team", row.getString(5));
          detail.put("channel", row.getString(6));
          detail.put("attempt", row.getInt(7));
          detail.put("outcome", row.getString(9));
          int status = row.getInt(10);
          if (!row.wasNull()) {
            detail.put("statusCode", status);
          }
          if (row.getString(11) != null) {
            detail.put("error", row.getString(11));
          }
          return new TimelineStep(
              row.getTimestamp(8).toInstant(),
              service,
              succeeded ? "notification-delivered" : "notification-failed",
              row.getString(3)
                  + " "
                  + (succeeded ? "delivered" : "not delivered (" + row.getString(9) + ")")
                  + " to "
                  + row.getString(5)
                  + "'s "
                  + row.getString(6)
                  + " endpoint "
                  + row.getString(4)
                  + ", attempt "
                  + row.getInt(7),
              detail);
        });
  }
}
