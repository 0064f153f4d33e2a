package io.paybridge.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.outbox.retention.RetentionKind;
import io.paybridge.platform.outbox.retention.TableRetention;
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

  private static final String NAME = "outbox-events";

  private final Duration retention;
  private final TableRetention rows;
  private final Counter deleted;

  public OutboxRetention(JdbcTemplate jdbc, OutboxProperties properties, MeterRegistry meters) {
    this.retention = properties.retention();
    // A row's Kafka placement (timeline) goes with it.
    this.rows =
        new TableRetention(
                NAME,
                retention,
                jdbc,
                "outbox_event",
                "created_at",
                null,
                properties.retentionBatchSize())
            .alsoDeleting("outbox_placement", "event_id", "id");
    this.deleted =
        Counter.builder("paybridge.outbox.retention.deleted")
            .description("Outbox rows deleted by the retention job")
            .register(meters);
  }

  @Override
  public String name() {
    return NAME;
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
    long total = rows.deleteOlderThan(cutoff);
    deleted.increment(total);
    if (total > 0) {
      log.info("Outbox retention deleted {} rows created before {}", total, cutoff);
    }
    return total;
  }
}
