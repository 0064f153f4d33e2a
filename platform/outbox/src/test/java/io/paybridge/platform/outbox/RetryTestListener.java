package io.paybridge.platform.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * A consumer whose records say how it should fail, for the retry tests: {@code apply} appends a row
 * to {@code test_applications} through {@link IdempotentConsumer}; {@code transient:N} fails the
 * first N attempts as GoCardless answering 429 with a retry-after, then applies; {@code poison}
 * cannot be read; {@code bug} always throws an ordinary exception; {@code hold:N} applies like
 * {@code apply} but, at each of its first N attempts, stops inside the transaction (after its
 * {@code consumed_message} row), announces itself on {@link #HELD} and waits for the test to
 * {@linkplain #release() release} it, so that the test can end its database session under it.
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

  /** Event ids of {@code hold} records stopped inside their transaction, one per attempt. */
  static final BlockingQueue<String> HELD = new LinkedBlockingQueue<>();

  private static final Semaphore RELEASES = new Semaphore(0);

  /** Lets one held attempt go on with its transaction. */
  static void release() {
    RELEASES.release();
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
        () -> {
          if (command.startsWith("hold:")
              && attempt <= Integer.parseInt(command.substring("hold:".length()))) {
            HELD.add(eventId);
            try {
              RELEASES.tryAcquire(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          jdbc.update(
              "insert into test_applications (event_id, record_key, record_offset) values (?, ?, ?)",
              eventId,
              record.key(),
              record.offset());
        });
  }
}
