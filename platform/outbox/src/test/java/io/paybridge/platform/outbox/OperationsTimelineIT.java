package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The platform's part of the timeline, on the test application's real path: an order consumed from
 * Kafka, applied once, its booking written to the outbox and relayed. The partition and offset
 * expected are those a Kafka consumer read the booking at, not what the relay recorded.
 */
@IntegrationTest
class OperationsTimelineIT {

  @Autowired OperationsTimeline timeline;
  @Autowired RelayReports relays;

  @Test
  void showsAnEventConsumedAndTheRecordItCausedWhereKafkaHoldsIt() throws Exception {
    String eventId = UUID.randomUUID().toString();
    String key = "ORD-" + UUID.randomUUID();
    KafkaTestConsumer.Received booking;
    try (var bookings = KafkaTestConsumer.fromNow("test.bookings")) {
      send(eventId, key, "42");
      booking = bookings.await(r -> ("booked-" + eventId).equals(r.header(EventHeaders.ID)));
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                timeline.steps(List.of(eventId, key)).stream()
                    .anyMatch(step -> step.kind().equals("kafka-record")));
    var steps = timeline.steps(List.of(eventId, key));

    assertThat(steps)
        .extracting(TimelineStep::kind)
        .containsExactly("consumed", "outbox-written", "kafka-record");
    assertThat(steps).extracting(TimelineStep::service).containsOnly("outbox-test");
    assertThat(steps.get(0).detail())
        .containsEntry("consumer", "outbox-test")
        .containsEntry("eventId", eventId);
    assertThat(steps.get(1).detail())
        .containsEntry("eventId", "booked-" + eventId)
        .containsEntry("eventType", "OrderBooked")
        .containsEntry("topic", "test.bookings")
        .containsEntry("key", key);
    assertThat(steps.get(2).detail())
        .containsEntry("topic", "test.bookings")
        .containsEntry("partition", booking.partition())
        .containsEntry("offset", booking.offset());
    assertThat(steps).isSortedAccordingTo(java.util.Comparator.comparing(TimelineStep::at));
  }

  @Test
  void findsAFactByTheGoCardlessEventInItsPayloadWhateverElseThePayloadHolds(
      @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc) {
    String gocardlessEvent = "EV" + UUID.randomUUID().toString().substring(0, 12);
    String factId = UUID.randomUUID().toString();
    // A NUL escape (backslash u0000) is valid json but no jsonb: the question must not depend on
    // that cast.
    jdbc.update(
        "insert into outbox_event (id, aggregatetype, aggregateid, type, payload) values"
            + " (?, 'test.bookings', 'PM-ODD', 'OrderBooked', ?::json)",
        factId,
        "{\"gocardlessEventId\":\"" + gocardlessEvent + "\",\"note\":\"\\u0000\"}");
    jdbc.update(
        "insert into outbox_event (id, aggregatetype, aggregateid, type, payload) values"
            + " (?, 'test.bookings', 'PM-ODD', 'OrderBooked', '[1, 2]'::json)",
        UUID.randomUUID().toString());

    var steps = timeline.steps(List.of(gocardlessEvent));

    assertThat(steps).isNotEmpty();
    assertThat(steps.getFirst().kind()).isEqualTo("outbox-written");
    assertThat(steps.getFirst().detail())
        .containsEntry("eventId", factId)
        .containsEntry("gocardlessEventId", gocardlessEvent);
  }

  @Test
  void findsNothingForAnIdNoTableHolds() {
    assertThat(timeline.steps(List.of("EV" + UUID.randomUUID().toString().substring(0, 12))))
        .isEmpty();
  }

  @Test
  void refusesAQuestionWithoutAnIdOrWithSomethingElse() {
    assertThatThrownBy(() -> timeline.steps(List.of()))
        .isInstanceOf(InvalidTimelineQueryException.class);
    assertThatThrownBy(() -> timeline.steps(List.of("PM1' or '1'='1")))
        .isInstanceOf(InvalidTimelineQueryException.class);
    assertThatThrownBy(() -> timeline.steps(List.of("x".repeat(256))))
        .isInstanceOf(InvalidTimelineQueryException.class);
  }

  @Test
  void reportsTheLeadingRelayPublishing() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> relays.report().state().equals("publishing"));
    var report = relays.report();
    assertThat(report.service()).isEqualTo("outbox-test");
    assertThat(report.leader()).isTrue();
    assertThat(report.lagMs()).isNotNull().isGreaterThanOrEqualTo(0);
  }

  private static void send(String eventId, String key, String value) throws Exception {
    TestEvents.send(OutboxTestApplication.ORDERS, null, eventId, key, value, null);
  }
}
