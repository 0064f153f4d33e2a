package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class IdempotentConsumerIT {

  @Autowired JdbcTemplate jdbc;

  @Test
  void appliesAnEventDeliveredTwiceOnceAndPublishesItsConsequenceOnce() throws Exception {
    String eventId = UUID.randomUUID().toString();
    try (var bookings = KafkaTestConsumer.fromNow("test.bookings")) {
      send(eventId, "ORD-1", "42");
      send(eventId, "ORD-1", "42");
      String marker = UUID.randomUUID().toString();
      send(marker, "ORD-1", "1"); // same partition, after both copies

      bookings.await(r -> ("booked-" + marker).equals(r.header(EventHeaders.ID)));
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from test_ledger where event_id = ?", Integer.class, eventId))
          .isEqualTo(1);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from consumed_message where consumer = 'outbox-test' and event_id = ?",
                  Integer.class,
                  eventId))
          .isEqualTo(1);
      // The marker's consequence was published after the event's (same partition, in order): the
      // topic's end now is a known end.
      var booked =
          bookings.readToEnd(
              r -> ("booked-" + eventId).equals(r.header(EventHeaders.ID)), Duration.ofSeconds(30));
      assertThat(booked).hasSize(1);
    }
  }

  @Test
  void theConsequenceOfAnEventContinuesTheEventsTraceInASpanOfItsOwn() throws Exception {
    // W3C's example trace context (www.w3.org/TR/trace-context, "traceparent" examples).
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String callerSpan = "00f067aa0ba902b7";
    String eventId = UUID.randomUUID().toString();
    try (var bookings = KafkaTestConsumer.fromNow("test.bookings")) {
      send(eventId, "ORD-T", "7", "00-" + traceId + "-" + callerSpan + "-01");

      var booked = bookings.await(r -> ("booked-" + eventId).equals(r.header(EventHeaders.ID)));
      // The apply span (parent: the event's) was current when the consequence was written, and
      // the relay's span (parent: the row's) is on the record: same trace, another span.
      String traceparent = booked.header(EventHeaders.TRACEPARENT);
      assertThat(traceparent).matches("00-" + traceId + "-[0-9a-f]{16}-01");
      assertThat(traceparent.split("-")[2]).isNotEqualTo(callerSpan);
    }
  }

  @Test
  void parksAPoisonMessageOnTheDeadLetterTopicWithTheError() throws Exception {
    String eventId = UUID.randomUUID().toString();
    String deadLetters = "test.orders.outbox-test.dlt";
    try (var dlt = KafkaTestConsumer.fromNow(deadLetters)) {
      send(eventId, "ORD-2", "poison");

      var parked = dlt.await(r -> eventId.equals(r.header(EventHeaders.ID)));
      parked.hasKey("ORD-2");
      assertThat(parked.value()).isEqualTo("poison");
      assertThat(parked.header(EventHeaders.DLT_EXCEPTION_MESSAGE))
          .contains("unreadable order " + eventId);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from test_ledger where event_id = ?", Integer.class, eventId))
          .isZero();
    }
  }

  @Test
  void appliesAnEventDeliveredToTwoConsumersAtOnceOnce(@Autowired IdempotentConsumer consumer)
      throws Exception {
    String eventId = UUID.randomUUID().toString();
    var firstInHandler = new CountDownLatch(1);
    var handled = new AtomicInteger();
    Runnable append =
        () -> {
          handled.incrementAndGet();
          jdbc.update("insert into test_ledger (event_id, amount) values (?, 1)", eventId);
        };
    try (var threads = Executors.newFixedThreadPool(2)) {
      Future<Boolean> first =
          threads.submit(
              () ->
                  consumer.apply(
                      "outbox-test",
                      eventId,
                      () -> {
                        firstInHandler.countDown();
                        // Hold the transaction open until the second delivery waits on its row.
                        await()
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> waitingOnConsumedMessage() > 0);
                        append.run();
                      }));
      assertThat(firstInHandler.await(30, TimeUnit.SECONDS)).isTrue();
      Future<Boolean> second = threads.submit(() -> consumer.apply("outbox-test", eventId, append));

      assertThat(List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS)))
          .containsExactly(true, false);
    }
    assertThat(handled).hasValue(1);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from test_ledger where event_id = ?", Integer.class, eventId))
        .isEqualTo(1);
  }

  private int waitingOnConsumedMessage() {
    return jdbc.queryForObject(
        "select count(*) from pg_stat_activity where datname = current_database()"
            + " and wait_event_type = 'Lock' and query like 'insert into consumed_message%'",
        Integer.class);
  }

  @Test
  void forgetsAppliedEventIdsPastTheirRetentionOnly(@Autowired IdempotentConsumer consumer) {
    String old = UUID.randomUUID().toString();
    String recent = UUID.randomUUID().toString();
    jdbc.update(
        "insert into consumed_message (consumer, event_id, consumed_at) values ('outbox-test', ?, now() - interval '40 days')",
        old);
    jdbc.update(
        "insert into consumed_message (consumer, event_id) values ('outbox-test', ?)", recent);

    assertThat(consumer.forgetOlderThan(Duration.ofDays(30))).isGreaterThanOrEqualTo(1);

    assertThat(
            jdbc.queryForList(
                "select event_id from consumed_message where event_id in (?, ?)",
                String.class,
                old,
                recent))
        .containsExactly(recent);
  }

  private static void send(String eventId, String key, String value) throws Exception {
    send(eventId, key, value, null);
  }

  private static void send(String eventId, String key, String value, String traceparent)
      throws Exception {
    TestEvents.send(OutboxTestApplication.ORDERS, null, eventId, key, value, traceparent);
  }
}
