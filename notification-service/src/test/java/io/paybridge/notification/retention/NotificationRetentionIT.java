package io.paybridge.notification.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.notification.support.NotificationHarness;
import io.paybridge.platform.outbox.retention.RetentionJob;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * notification-service's retention kinds with the service's own retention job: attempt log rows go
 * after 30 days; a delivery goes 90 days after it succeeded or went dead (with its attempts), never
 * while pending. Age is given by this test's rows' times; every other row of the shared database is
 * young and stays.
 */
class NotificationRetentionIT extends NotificationHarness {

  @Autowired RetentionJob retention;
  @Autowired MeterRegistry meters;

  @Test
  void oldAttemptsAndLongCompletedDeliveriesGoPendingAndYoungOnesStay() {
    UUID endpoint = UUID.randomUUID();
    jdbc.update(
        "insert into endpoint (id, team, kind, url, event_types, enabled, created_at)"
            + " values (?, 'team-retention', 'webhook', 'https://retention.test/hook', '{*}', true,"
            + " now() - interval '200 days')",
        endpoint);
    UUID oldSucceeded = delivery(endpoint, "succeeded", "now() - interval '91 days'");
    UUID oldDead = delivery(endpoint, "dead", "now() - interval '91 days'");
    UUID recentSucceeded = delivery(endpoint, "succeeded", "now() - interval '31 days'");
    UUID oldPending = delivery(endpoint, "pending", "null");
    attempt(oldPending, 1, "now() - interval '120 days'");
    attempt(oldPending, 2, "now() - interval '1 day'");
    attempt(recentSucceeded, 1, "now() - interval '31 days'");
    attempt(oldSucceeded, 1, "now() - interval '92 days'");
    double attemptsBefore = deleted("delivery-attempts");
    double deliveriesBefore = deleted("completed-deliveries");

    retention.run();

    assertThat(deliveries(endpoint)).containsExactlyInAnyOrder(recentSucceeded, oldPending);
    assertThat(attemptsOf(oldPending))
        .as("the pending delivery's young attempt")
        .containsExactly(2);
    assertThat(attemptsOf(recentSucceeded)).as("31 days: past the attempt log's 30").isEmpty();
    assertThat(deleted("delivery-attempts") - attemptsBefore).isGreaterThanOrEqualTo(2.0);
    assertThat(deleted("completed-deliveries") - deliveriesBefore).isGreaterThanOrEqualTo(2.0);
    assertThat(oldDead).isNotIn(deliveries(endpoint));
  }

  private UUID delivery(UUID endpoint, String status, String completedAt) {
    UUID id = UUID.randomUUID();
    jdbc.update(
        "insert into delivery (id, endpoint_id, team, fact_id, event_type, body, status, created_at,"
            + " completed_at) values (?, ?, 'team-retention', ?, 'PaymentConfirmed', '{}', ?,"
            + " now() - interval '100 days', "
            + completedAt
            + ")",
        id,
        endpoint,
        "fact-" + id,
        status);
    return id;
  }

  private void attempt(UUID delivery, int number, String at) {
    jdbc.update(
        "insert into delivery_attempt (delivery_id, attempt, attempted_at, outcome, latency_ms)"
            + " values (?, ?, "
            + at
            + ", 'http_error', 5)",
        delivery,
        number);
  }

  private java.util.List<UUID> deliveries(UUID endpoint) {
    return jdbc.queryForList("select id from delivery where endpoint_id = ?", UUID.class, endpoint);
  }

  private java.util.List<Integer> attemptsOf(UUID delivery) {
    return jdbc.queryForList(
        "select attempt from delivery_attempt where delivery_id = ? order by attempt",
        Integer.class,
        delivery);
  }

  private double deleted(String kind) {
    return meters.get("paybridge.retention.deleted").tag("kind", kind).counter().count();
  }
}
