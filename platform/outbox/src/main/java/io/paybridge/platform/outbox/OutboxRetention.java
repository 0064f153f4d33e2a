package io.paybridge.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.outbox.retention.RetentionKind;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bounds {@code outbox_event}: deletes rows older than {@code paybridge.outbox.retention}, a batch
 * per statement, so that no statement holds many row locks or runs long. The deletes publish
 * nothing: the outbox publication carries inserts only.
 *
 * <p>The kind {@code outbox-events} of the platform's {@link
 * io.paybridge.platform.outbox.retention.RetentionJob}, which runs it with the service's other
 * kinds.
 */
public class OutboxRetention implements RetentionKind {

  private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);

  private final JdbcTemplate jdbc;
  private final Duration retention;
  private final int batchSize;
  private final Counter deleted;

  public OutboxRetention(JdbcTemplate jdbc, OutboxProperties properties, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.retention = properties.retention();
    this.batchSize = properties.retentionBatchSize();
    this.deleted =
        Counter.builder("paybridge.outbox.retention.deleted")
            .description("Outbox rows deleted by the retention job")
            .register(meters);
  }

  @Override
  public String name() {
    return "outbox-events";
  }

  @Override
  public Duration defaultPeriod() {
    return retention;
  }

  @Override
  public long deleteOlderThan(Instant cutoff) {
    return deleteCreatedBefore(cutoff);
  }

  /**
   * Deletes rows created before {@code now - retention}.
   *
   * @return how many rows were deleted
   */
  public long deleteExpired() {
    return deleteCreatedBefore(Instant.now().minus(retention));
  }

  long deleteCreatedBefore(Instant cutoff) {
    var before = Timestamp.from(cutoff);
    long total = 0;
    while (true) {
      // skip locked: instances running the job at the same time share the work instead of waiting.
      // A row's Kafka placement (timeline) goes with it.
      Integer deletedRows =
          jdbc.queryForObject(
              "with gone as (delete from outbox_event where id in (select id from outbox_event"
                  + " where created_at < ? order by created_at limit ? for update skip locked)"
                  + " returning id),"
                  + " placements as (delete from outbox_placement"
                  + " where event_id in (select id from gone))"
                  + " select count(*)::int from gone",
              Integer.class,
              before,
              batchSize);
      int count = deletedRows == null ? 0 : deletedRows;
      total += count;
      deleted.increment(count);
      if (count < batchSize) {
        break;
      }
    }
    if (total > 0) {
      log.info("Outbox retention deleted {} rows created before {}", total, cutoff);
    }
    return total;
  }
}
