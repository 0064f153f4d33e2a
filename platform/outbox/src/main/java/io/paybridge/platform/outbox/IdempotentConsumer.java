package io.paybridge.platform.outbox;

import io.paybridge.platform.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies each event at most once per consumer: the handler runs in a transaction that also records
 * {@code (consumer, event id)} in {@code consumed_message}, so its state changes and outbox writes
 * commit together with the fact that the event was applied. A redelivered event is a no-op. The
 * Kafka offset is committed after the transaction, by the listener container.
 *
 * <p>A batch listener applies a whole poll in one transaction with {@link #applyBatch}: one commit
 * (one WAL flush) for the poll instead of one per record.
 */
public class IdempotentConsumer {

  private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

  /**
   * Reads a record into what the handler applies; throws {@link PoisonMessageException} when it
   * cannot.
   */
  @FunctionalInterface
  public interface Reader<K, V, T> {
    T read(ConsumerRecord<K, V> record, String eventId);
  }

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  private final boolean pollInOneTransaction;
  private final RecordTracing tracing;
  private final boolean traceEachRecordOfAPoll;

  public IdempotentConsumer(JdbcTemplate jdbc, TransactionTemplate transactions) {
    this(jdbc, transactions, true);
  }

  public IdempotentConsumer(
      JdbcTemplate jdbc, TransactionTemplate transactions, boolean pollInOneTransaction) {
    this(jdbc, transactions, pollInOneTransaction, RecordTracing.NONE);
  }

  /**
   * @param pollInOneTransaction {@code false}: {@link #applyBatch} applies records one by one
   *     ({@code paybridge.consumer.poll-in-one-transaction})
   * @param tracing each record applied gets a span, its parent the record's {@code traceparent},
   *     current while the handler runs (so the outbox rows it writes carry it on)
   */
  public IdempotentConsumer(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      boolean pollInOneTransaction,
      RecordTracing tracing) {
    this(jdbc, transactions, pollInOneTransaction, tracing, true);
  }

  /**
   * @param traceEachRecordOfAPoll {@code true}: {@link #applyBatch} calls the handler once per
   *     record of a poll, each in its record's span, so the outbox rows each one causes carry its
   *     trace; {@code false}: once for the whole poll, with no span of its own (a poll of one
   *     record is still applied in its span) — the handler's batching kept, the trace of a poll's
   *     consequences not carried on ({@code paybridge.consumer.trace-each-record-of-a-poll})
   */
  public IdempotentConsumer(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      boolean pollInOneTransaction,
      RecordTracing tracing,
      boolean traceEachRecordOfAPoll) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.pollInOneTransaction = pollInOneTransaction;
    this.tracing = tracing;
    this.traceEachRecordOfAPoll = traceEachRecordOfAPoll;
  }

  /**
   * {@link #apply(String, String, Runnable)} for {@code record}, in a span whose parent is the
   * record's {@code traceparent}: the trace of the event goes on through this consumer.
   */
  public boolean apply(
      String consumer, ConsumerRecord<?, ?> record, String eventId, Runnable handler) {
    if (!tracing.enabled()) {
      return apply(consumer, eventId, handler);
    }
    return tracing.inSpan(
        tracing.startConsumer(consumer, record.headers(), record.topic()),
        () -> apply(consumer, eventId, handler));
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
   * Applies a batch listener's records, each at most once per {@code consumer}, in one transaction:
   * the records are read (and their event ids taken) first; their ids are recorded in {@code
   * consumed_message} with one statement, whose conflicts say which were applied before; {@code
   * handler} gets the new ones, in the batch's order (a record whose event id occurs earlier in the
   * batch counts as applied before), and everything commits together. The listener container
   * commits the offsets after this returns, so after the transaction.
   *
   * <p>If anything fails (a record that cannot be read, a handler failure, a failed commit), the
   * transaction is rolled back and the records are applied again one by one, each in its own
   * transaction as {@link #apply} does. The first record that fails then is reported to the
   * container's error handler as a {@link BatchListenerFailedException} naming it: the records
   * before it are committed, and it is retried, or dead-lettered alone, by the same rules as a
   * record listener's ({@link ConsumerErrorHandler}); the records after it are delivered again.
   *
   * @param handler applies the new records' events; it runs in the transaction and may be called
   *     with a single event (while records are applied one by one) or with none
   * @return how many records were applied by this call (not duplicates)
   * @throws BatchListenerFailedException naming the record that failed on its own
   */
  public <K, V, T> int applyBatch(
      String consumer,
      List<ConsumerRecord<K, V>> records,
      Reader<K, V, T> reader,
      Consumer<List<T>> handler) {
    if (pollInOneTransaction && records.size() > 1) {
      try {
        return applyTogether(consumer, records, reader, handler);
      } catch (RuntimeException e) {
        log.debug(
            "{}: a batch of {} records failed ({}); applying them one by one",
            consumer,
            records.size(),
            e.toString());
      }
    }
    int applied = 0;
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<K, V> record = records.get(i);
      try {
        String eventId = eventId(record);
        T event = reader.read(record, eventId);
        if (apply(consumer, record, eventId, () -> handler.accept(List.of(event)))) {
          applied++;
        }
      } catch (RuntimeException e) {
        throw new BatchListenerFailedException(
            consumer
                + " failed on "
                + record.topic()
                + "-"
                + record.partition()
                + "@"
                + record.offset(),
            e,
            record);
      }
    }
    return applied;
  }

  private <K, V, T> int applyTogether(
      String consumer,
      List<ConsumerRecord<K, V>> records,
      Reader<K, V, T> reader,
      Consumer<List<T>> handler) {
    // Read before the transaction opens: an unreadable record costs no database work.
    var byEventId = new LinkedHashMap<String, T>();
    var recordOf = new HashMap<String, ConsumerRecord<K, V>>();
    for (var record : records) {
      String eventId = eventId(record);
      T event = reader.read(record, eventId);
      byEventId.putIfAbsent(eventId, event);
      recordOf.putIfAbsent(eventId, record);
    }
    Integer applied =
        transactions.execute(
            status -> {
              Set<String> fresh = recordConsumed(consumer, byEventId.keySet());
              if (tracing.enabled() && traceEachRecordOfAPoll) {
                // Each event in its own span (the handler called once per event, still in this
                // transaction), so that the outbox rows each one causes carry its own trace.
                int count = 0;
                for (var entry : byEventId.entrySet()) {
                  if (fresh.contains(entry.getKey())) {
                    var record = recordOf.get(entry.getKey());
                    T event = entry.getValue();
                    tracing.inSpan(
                        tracing.startConsumer(consumer, record.headers(), record.topic()),
                        () -> {
                          handler.accept(List.of(event));
                          return null;
                        });
                    count++;
                  }
                }
                return count;
              }
              List<T> events = new ArrayList<>(fresh.size());
              byEventId.forEach(
                  (eventId, event) -> {
                    if (fresh.contains(eventId)) {
                      events.add(event);
                    }
                  });
              if (!events.isEmpty()) {
                handler.accept(events);
              }
              return events.size();
            });
    return applied == null ? 0 : applied;
  }

  /** Inserts the ids not recorded yet and returns them. */
  private Set<String> recordConsumed(String consumer, Set<String> eventIds) {
    // Sorted: two transactions recording overlapping ids take their row locks in the same order
    // (the second waits for the first to commit, then finds the ids recorded), never a deadlock.
    String[] ids = eventIds.stream().sorted().toArray(String[]::new);
    List<String> inserted =
        jdbc.query(
            connection -> {
              var statement =
                  connection.prepareStatement(
                      """
                      insert into consumed_message (consumer, event_id)
                      select ?, id from unnest(?::varchar[]) with ordinality as ids (id, position)
                      order by position
                      on conflict do nothing
                      returning event_id
                      """);
              statement.setString(1, consumer);
              statement.setArray(2, connection.createArrayOf("varchar", ids));
              return statement;
            },
            (rs, i) -> rs.getString(1));
    return new HashSet<>(inserted);
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
