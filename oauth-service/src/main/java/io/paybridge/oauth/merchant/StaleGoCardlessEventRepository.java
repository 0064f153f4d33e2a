package io.paybridge.oauth.merchant;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code stale_gocardless_event} table: events older than the connection they named. */
@Repository
class StaleGoCardlessEventRepository {

  private final JdbcTemplate jdbc;

  StaleGoCardlessEventRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void record(GoCardlessEvent event, String merchantId, Instant connectedAt) {
    jdbc.update(
        "insert into stale_gocardless_event (event_id, resource_type, action, organisation_id,"
            + " event_created_at, merchant_id, connected_at) values (?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (event_id) do nothing",
        event.id(),
        event.resourceType(),
        event.action(),
        event.organisationId(),
        Timestamp.from(event.createdAt()),
        merchantId,
        Timestamp.from(connectedAt));
  }
}
