package io.paybridge.platform.outbox;

import io.paybridge.platform.events.OutboxEvent;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** A minimal service using the outbox: it consumes test.orders idempotently into test_ledger. */
@SpringBootApplication
class OutboxTestApplication {

  static final String ORDERS = "test.orders";

  /** Transport: reads a record and hands it to the idempotent handler. */
  @Component
  static class OrdersListener {
    final AtomicInteger handled = new AtomicInteger();
    private final IdempotentConsumer idempotentConsumer;
    private final JdbcTemplate jdbc;
    private final OutboxWriter outbox;

    OrdersListener(IdempotentConsumer idempotentConsumer, JdbcTemplate jdbc, OutboxWriter outbox) {
      this.idempotentConsumer = idempotentConsumer;
      this.jdbc = jdbc;
      this.outbox = outbox;
    }

    @KafkaListener(topics = ORDERS)
    void onOrder(ConsumerRecord<String, String> record) {
      String eventId = IdempotentConsumer.eventId(record);
      if (record.value().equals("poison")) {
        throw new PoisonMessageException("unreadable order " + eventId);
      }
      idempotentConsumer.apply(
          "outbox-test",
          record,
          eventId,
          () -> {
            jdbc.update(
                "insert into test_ledger (event_id, amount) values (?, ?)",
                eventId,
                Integer.parseInt(record.value()));
            outbox.append(
                OutboxEvent.of(
                    "booked-" + eventId, "test.bookings", record.key(), "OrderBooked", "{}"));
            handled.incrementAndGet();
          });
    }
  }
}
