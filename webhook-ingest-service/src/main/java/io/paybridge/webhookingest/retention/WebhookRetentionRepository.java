package io.paybridge.webhookingest.retention;

import io.paybridge.platform.outbox.retention.RetentionKind;
import io.paybridge.platform.outbox.retention.RetentionProperties;
import io.paybridge.platform.outbox.retention.TableRetention;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What webhook-ingest keeps for a bounded time (docs/data-protection.md), removed by the platform's
 * retention job; each period is {@code paybridge.retention.periods.<kind>}.
 *
 * <ul>
 *   <li>{@code webhook-deliveries} (30 days): the raw bodies, kept for audit and for an operator to
 *       look at what GoCardless sent; every event in them is also in the inbox. A delivery that an
 *       unreleased quarantine row still needs is kept (a whole-body quarantine has its bytes only
 *       there).
 *   <li>{@code inbox-events} (90 days): one row per GoCardless event, the deduplication of
 *       GoCardless's retries (hours) and of gap recovery, and the source of operator replays. Keep
 *       it longer than any replay or recovery window in use.
 *   <li>{@code released-quarantine} (90 days after the release): quarantine rows an operator has
 *       dealt with, unless an inbox row still names them as its origin.
 * </ul>
 *
 * <p>A repository by name: it holds the SQL of what may go (the tables and conditions).
 */
@Configuration(proxyBeanMethods = false)
class WebhookRetentionRepository {

  @Bean
  RetentionKind webhookDeliveriesRetention(JdbcTemplate jdbc, RetentionProperties retention) {
    return new TableRetention(
            "webhook-deliveries",
            Duration.ofDays(30),
            jdbc,
            "webhook_delivery",
            "received_at",
            "not exists (select 1 from quarantined_event q where q.delivery_id = r.id"
                + " and q.released_at is null)",
            retention.batchSize())
        // The inbox's link to its delivery has no foreign key (V17): set to null here.
        .unlinking("gocardless_event", "delivery_id", "id");
  }

  @Bean
  RetentionKind inboxEventsRetention(JdbcTemplate jdbc, RetentionProperties retention) {
    return new TableRetention(
        "inbox-events",
        Duration.ofDays(90),
        jdbc,
        "gocardless_event",
        "received_at",
        null,
        retention.batchSize());
  }

  @Bean
  RetentionKind releasedQuarantineRetention(JdbcTemplate jdbc, RetentionProperties retention) {
    return new TableRetention(
        "released-quarantine",
        Duration.ofDays(90),
        jdbc,
        "quarantined_event",
        "released_at",
        "not exists (select 1 from gocardless_event e where e.released_from = r.id)",
        retention.batchSize());
  }
}
