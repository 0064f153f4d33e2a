package io.paybridge.platform.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * A consumer whose records say how it should fail, for the retry tests: {@code apply} appends a row
 * to {@code test_applications} through {@link IdempotentConsumer}; {@code transient:N} fails the
 * first N attempts as GoCardless answering 429 with a retry-after, then applies; {@code poison}
 * cannot be read; {@code bug} always throws an ordinary exception.
 */
@Component
class RetryTestListener {

  static final String TOPIC = "test.retries";
  static final String CONSUMER = "outbox-test-retries";

  /** Attempts per event id, counted before anything else happens (static: any context's). */
  static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  private final IdempotentConsumer idempotent;
  private final JdbcTemplate jdbc;

  RetryTestListener(IdempotentConsumer idempotent, JdbcTemplate jdbc) {
    this.idempotent = idempotent;
    this.jdbc = jdbc;
  }

  static int attempts(String eventId) {
    var attempts = ATTEMPTS.get(eventId);
    return attempts == null ? 0 : attempts.get();
  }

  @KafkaListener(topics = TOPIC)
  void on(ConsumerRecord<String, String> record) {
    String eventId = IdempotentConsumer.eventId(record);
    int attempt = ATTEMPTS.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
    String command = record.value();
    if (command.equals("poison")) {
      throw new PoisonMessageException("Event " + eventId + " is not JSON");
    }
    if (command.equals("bug")) {
      throw new IllegalStateException("bug in the handler of " + eventId);
    }
    if (command.startsWith("transient:")
        && attempt <= Integer.parseInt(command.substring("transient:".length()))) {
      throw new TransientFailureException("GoCardless answered 429", Duration.ofMillis(300), null);
    }
    idempotent.apply(
        CONSUMER,
        eventId,
        () ->
            jdbc.update(
                "insert into test_applications (event_id, record_key, record_offset) values (?, ?, ?)",
                eventId,
                record.key(),
                record.offset()));
  }
}
