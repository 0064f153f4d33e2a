package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.outbox.retention.RetentionJob;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * webhook-ingest's retention kinds with the service's own retention job: a raw delivery goes after
 * 30 days while the inbox row made from it stays (90 days), unless an unreleased quarantine row
 * still needs the delivery; a released quarantine row goes 90 days after its release. Age is given
 * by moving this test's rows back in time; every other row of the shared database is young and
 * stays.
 */
@IntegrationTest
class WebhookRetentionIT {

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired RetentionJob retention;
  @Autowired MeterRegistry meters;

  @Test
  void oldDeliveriesGoBeforeTheirInboxRowsAndAQuarantinedDeliveryStaysUntilReleased() {
    var client = new WebhookClient(port);
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String kept = "EV" + run + "OK";
    String bad = "EV" + run + "BAD";
    String young = "EV" + run + "NEW";
    assertThat(
            client
                .postSigned(
                    webhook(QuarantineIT.event(kept, "PM" + run, "created")), SIMULATOR_SECRET)
                .statusCode())
        .isEqualTo(204);
    assertThat(
            client
                .postSigned(webhook(withoutAction(bad, "PM" + run)), SIMULATOR_SECRET)
                .statusCode())
        .isEqualTo(204);
    assertThat(
            client
                .postSigned(
                    webhook(QuarantineIT.event(young, "PM" + run, "submitted")), SIMULATOR_SECRET)
                .statusCode())
        .isEqualTo(204);
    var keptDelivery = deliveryOfEvent(kept);
    var badDelivery =
        jdbc.queryForObject(
            "select delivery_id from quarantined_event where event_id = ?", UUID.class, bad);
    var youngDelivery = deliveryOfEvent(young);

    // 31 days old: past webhook-deliveries (30 days), not inbox-events (90 days).
    jdbc.update(
        "update webhook_delivery set received_at = now() - interval '31 days' where id in (?, ?)",
        keptDelivery,
        badDelivery);
    jdbc.update(
        "update gocardless_event set received_at = now() - interval '31 days' where event_id = ?",
        kept);
    double before = deleted("webhook-deliveries");
    retention.run();

    assertThat(deliveryExists(keptDelivery)).as("an old delivery goes").isFalse();
    assertThat(deliveryExists(badDelivery))
        .as("an unreleased quarantine row keeps its delivery")
        .isTrue();
    assertThat(deliveryExists(youngDelivery)).as("a young delivery stays").isTrue();
    assertThat(inboxDelivery(kept)).as("the inbox row stays, its delivery gone").isEqualTo("gone");
    assertThat(deleted("webhook-deliveries") - before).isGreaterThanOrEqualTo(1.0);

    // Released 91 days ago, and the inbox row 91 days old.
    jdbc.update(
        "update quarantined_event set released_at = now() - interval '91 days', released_by = 'op',"
            + " release_reason = 'test' where event_id = ?",
        bad);
    jdbc.update(
        "update gocardless_event set received_at = now() - interval '91 days' where event_id = ?",
        kept);
    retention.run();

    assertThat(deliveryExists(badDelivery)).as("the released quarantine's delivery goes").isFalse();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from quarantined_event where event_id = ?", Integer.class, bad))
        .isZero();
    assertThat(inboxDelivery(kept)).isEqualTo("none");
    assertThat(inboxDelivery(young)).as("a young inbox row stays").isEqualTo("linked");
    assertThat(deliveryExists(youngDelivery)).isTrue();
  }

  private UUID deliveryOfEvent(String eventId) {
    return jdbc.queryForObject(
        "select delivery_id from gocardless_event where event_id = ?", UUID.class, eventId);
  }

  private boolean deliveryExists(UUID id) {
    return jdbc.queryForObject(
            "select count(*) from webhook_delivery where id = ?", Integer.class, id)
        == 1;
  }

  /** The inbox row: {@code none}, {@code gone} (its delivery removed) or {@code linked}. */
  private String inboxDelivery(String eventId) {
    var rows =
        jdbc.queryForList(
            "select delivery_id from gocardless_event where event_id = ?", UUID.class, eventId);
    if (rows.isEmpty()) {
      return "none";
    }
    return rows.getFirst() == null ? "gone" : "linked";
  }

  private double deleted(String kind) {
    return meters.get("paybridge.retention.deleted").tag("kind", kind).counter().count();
  }

  private static String withoutAction(String id, String payment) {
    return "{\"id\":\""
        + id
        + "\",\"created_at\":\"2026-03-02T10:15:47.578Z\",\"resource_type\":\"payments\","
        + "\"links\":{\"payment\":\""
        + payment
        + "\"},\"details\":{},\"metadata\":{}}";
  }

  private static byte[] webhook(String event) {
    return ("{\"events\":["
            + event
            + "],\"meta\":{\"webhook_id\":\"WB"
            + UUID.randomUUID().toString().substring(0, 8)
            + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
