package io.paybridge.platform.outbox.retention;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long each kind of record is kept, and how often the retention job runs ({@code
 * paybridge.retention.*}).
 *
 * @param enabled whether this instance runs the retention job; every instance may (the deletes skip
 *     rows another instance holds)
 * @param interval time between two runs of the job
 * @param initialDelay time from start-up to the first run
 * @param periods the period of each kind by its name ({@code webhook-deliveries: 30d}); a kind not
 *     named keeps its default (each service's README lists its kinds and defaults). The outbox's
 *     own kinds default to {@code paybridge.outbox.retention} ({@code outbox-events}) and {@code
 *     paybridge.outbox.consumed-message-retention} ({@code consumed-messages})
 * @param batchSize rows a kind deletes per statement
 */
@ConfigurationProperties("paybridge.retention")
public record RetentionProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("1h") Duration interval,
    @DefaultValue("5m") Duration initialDelay,
    Map<String, Duration> periods,
    @DefaultValue("5000") int batchSize) {

  public RetentionProperties {
    periods = periods == null ? Map.of() : Map.copyOf(periods);
  }

  /** The period of {@code kind}: configured, else its default. */
  public Duration periodOf(RetentionKind kind) {
    return periods.getOrDefault(kind.name(), kind.defaultPeriod());
  }
}
