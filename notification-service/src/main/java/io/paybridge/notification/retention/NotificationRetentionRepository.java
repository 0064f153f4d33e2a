package io.paybridge.notification.retention;

import io.paybridge.platform.outbox.retention.RetentionKind;
import io.paybridge.platform.outbox.retention.RetentionProperties;
import io.paybridge.platform.outbox.retention.TableRetention;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What notification-service keeps for a bounded time (docs/data-protection.md), removed by the
 * platform's retention job; each period is {@code paybridge.retention.periods.<kind>}.
 *
 * <ul>
 *   <li>{@code delivery-attempts} (30 days): the attempt log (outcome, status, the receiver's
 *       answer excerpt, the error), which teams and operators read to see why a delivery failed.
 *   <li>{@code completed-deliveries} (90 days after completion): deliveries that succeeded or went
 *       dead, with the fact's body; a dead one can be replayed until then. Pending deliveries are
 *       never removed. Keep it longer than {@code consumed-messages}: the delivery row is what
 *       stops a redelivered fact from being delivered twice after that.
 * </ul>
 *
 * <p>A repository by name: it holds the SQL of what may go (the tables and conditions).
 */
@Configuration(proxyBeanMethods = false)
class NotificationRetentionRepository {

  @Bean
  RetentionKind deliveryAttemptsRetention(JdbcTemplate jdbc, RetentionProperties retention) {
    return new TableRetention(
        "delivery-attempts",
        Duration.ofDays(30),
        jdbc,
        "delivery_attempt",
        "attempted_at",
        null,
        retention.batchSize());
  }

  @Bean
  RetentionKind completedDeliveriesRetention(JdbcTemplate jdbc, RetentionProperties retention) {
    return new TableRetention(
        "completed-deliveries",
        Duration.ofDays(90),
        jdbc,
        "delivery",
        "completed_at",
        "r.status in ('succeeded', 'dead')",
        retention.batchSize());
  }
}
