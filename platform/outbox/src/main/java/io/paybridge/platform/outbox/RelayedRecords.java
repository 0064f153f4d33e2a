package io.paybridge.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records where the relay's committed records went on Kafka (partition, offset) on their outbox
 * rows, for the operators' event timeline. In the background, on one connection of its own, one
 * statement per batch: the relay never waits for it, and when the database is slow or the queue is
 * full a batch's placements are dropped (counted in {@code
 * paybridge.outbox.relay.placements.dropped}) rather than held. A placement is a convenience for
 * operators, never needed for delivery.
 */
final class RelayedRecords implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RelayedRecords.class);
  private static final int QUEUED_BATCHES = 256;

  /**
   * Where one outbox row's record was committed, and the record's timestamp (set when it was sent,
   * before its transaction committed: earlier than any consumer can have read it).
   */
  record Placement(String eventId, int partition, long offset, Instant timestamp) {}

  private final ParkedRecords.Connections connections;
  private final ThreadPoolExecutor writer;
  private final Counter dropped;
  private Connection connection; // only touched by the writer's thread

  RelayedRecords(ParkedRecords.Connections connections, MeterRegistry meters) {
    this.connections = connections;
    this.dropped =
        Counter.builder("paybridge.outbox.relay.placements.dropped")
            .description(
                "Relayed batches whose Kafka partitions and offsets were not recorded on their"
                    + " outbox rows (timeline only)")
            .register(meters);
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUED_BATCHES),
            Thread.ofPlatform().daemon().name("outbox-relay-placements").factory(),
            (task, executor) -> dropped.increment());
  }

  /** Records {@code placements} of committed records, in the background. */
  void record(List<Placement> placements) {
    if (placements.isEmpty() || writer.isShutdown()) {
      return;
    }
    writer.execute(() -> write(placements));
  }

  private void write(List<Placement> placements) {
    String[] ids = new String[placements.size()];
    Integer[] partitions = new Integer[placements.size()];
    Long[] offsets = new Long[placements.size()];
    Timestamp[] times = new Timestamp[placements.size()];
    for (int i = 0; i < placements.size(); i++) {
      ids[i] = placements.get(i).eventId();
      partitions[i] = placements.get(i).partition();
      offsets[i] = placements.get(i).offset();
      times[i] = Timestamp.from(placements.get(i).timestamp());
    }
    try {
      if (connection == null || connection.isClosed()) {
        connection = connections.open();
        connection.setAutoCommit(true);
      }
      try (var statement =
          connection.prepareStatement(
              """
              insert into outbox_placement (event_id, kafka_partition, kafka_offset, relayed_at)
              select * from unnest(?::varchar[], ?::integer[], ?::bigint[], ?::timestamptz[])
              on conflict (event_id) do update set kafka_partition = excluded.kafka_partition,
                  kafka_offset = excluded.kafka_offset, relayed_at = excluded.relayed_at
              """)) {
        statement.setArray(1, connection.createArrayOf("varchar", ids));
        statement.setArray(2, connection.createArrayOf("integer", partitions));
        statement.setArray(3, connection.createArrayOf("bigint", offsets));
        statement.setArray(4, connection.createArrayOf("timestamptz", times));
        statement.executeUpdate();
      }
    } catch (SQLException | RuntimeException e) {
      dropped.increment();
      log.debug("Kafka placements of {} outbox rows not recorded: {}", ids.length, e.toString());
      closeConnection();
    }
  }

  private void closeConnection() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // already broken
    }
    connection = null;
  }

  @Override
  public void close() {
    if (writer.isShutdown()) {
      return;
    }
    // The connection belongs to the writer's thread: closed there, after the queued batches.
    writer.execute(this::closeConnection);
    writer.shutdown();
    try {
      if (!writer.awaitTermination(2, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
