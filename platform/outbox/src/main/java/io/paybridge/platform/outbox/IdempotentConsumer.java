package io.paybridge.platform.outbox;

import io.paybridge.platform.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies each event at most once per consumer: the handler runs in a transaction that also records
 * {@code (consumer, event id)} in {@code consumed_message}, so its state changes and outbox writes
 * commit together with the fact that the event was applied. A redelivered event is a no-op. The
 * Kafka offset is committed after the transaction, by the listener container.
 */
public class IdempotentConsumer {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  public IdempotentConsumer(JdbcTemplate jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /**
   * Runs {@code handler} in a new transaction unless {@code consumer} has applied {@code eventId}
   * already.
   *
   * @return {@code true} if the handler ran and committed, {@code false} for a duplicate
   */
  public boolean apply(String consumer, String eventId, Runnable handler) {
    Boolean applied =
        transactions.execute(
            status -> {
              // Concurrent deliveries of one event serialise on the primary key: the second waits
              // for the first to commit, then inserts nothing.
              int inserted =
                  jdbc.update(
                      "insert into consumed_message (consumer, event_id) values (?, ?) on conflict do nothing",
                      consumer,
                      eventId);
              if (inserted == 0) {
                return false;
              }
              handler.run();
              return true;
            });
    return Boolean.TRUE.equals(applied);
  }

  /**
   * Forgets applied event ids older than {@code retention}, so that {@code consumed_message} does
   * not grow forever.
   *
   * @return how many were forgotten
   */
  public int forgetOlderThan(Duration retention) {
    return jdbc.update(
        "delete from consumed_message where consumed_at < clock_timestamp() - ?::interval",
        retention.toSeconds() + " seconds");
  }

  /**
   * The event id of a platform record (its {@code id} header).
   *
   * @throws PoisonMessageException when the record has none: it cannot be deduplicated
   */
  public static String eventId(ConsumerRecord<?, ?> record) {
    var header = record.headers().lastHeader(EventHeaders.ID);
    if (header == null || header.value() == null || header.value().length == 0) {
      throw new PoisonMessageException(
          "Record "
              + record.topic()
              + "/"
              + record.partition()
              + "@"
              + record.offset()
              + " has no id header");
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
