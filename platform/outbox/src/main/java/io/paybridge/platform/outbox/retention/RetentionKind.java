package io.paybridge.platform.outbox.retention;

import java.time.Duration;
import java.time.Instant;

/**
 * A kind of record a service keeps for a bounded time (raw webhook deliveries, outbox rows, applied
 * event ids, delivery attempt logs...). A service declares each of its kinds as a bean; the
 * platform's {@link RetentionJob} removes what is older than the kind's period, on every instance,
 * and counts it ({@code paybridge_retention_deleted_total{kind}}).
 *
 * <p>The period is {@code paybridge.retention.periods.<name>} when set, else {@link
 * #defaultPeriod()}.
 */
public interface RetentionKind {

  /**
   * The kind's name: lower case words joined by hyphens ({@code webhook-deliveries}); the metric's
   * {@code kind} tag and the key under {@code paybridge.retention.periods}.
   */
  String name();

  /** How long a record is kept when no period is configured for this kind. */
  Duration defaultPeriod();

  /**
   * Removes the records older than {@code cutoff}, in batches so that no statement holds many row
   * locks for long; safe to run on several instances at once.
   *
   * @return how many records were removed
   */
  long deleteOlderThan(Instant cutoff);
}
