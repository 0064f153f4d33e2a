package io.paybridge.platform.outbox.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retention mechanism of every service: removes, for each declared {@link RetentionKind},
 * what is older than its period, and counts it. Run periodically by the outbox's
 * auto-configuration; a kind that fails is logged and counted and does not stop the others.
 *
 * <p>Metrics: {@code paybridge.retention.deleted{kind}} (records removed) and {@code
 * paybridge.retention.failures{kind}} (runs of a kind that failed).
 */
public class RetentionJob {

  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

  private final List<RetentionKind> kinds;
  private final RetentionProperties properties;
  private final Clock clock;
  private final Map<String, Counter> deleted = new LinkedHashMap<>();
  private final Map<String, Counter> failures = new LinkedHashMap<>();

  public RetentionJob(
      List<RetentionKind> kinds,
      RetentionProperties properties,
      Clock clock,
      MeterRegistry meters) {
    Set<String> names = new TreeSet<>();
    for (RetentionKind kind : kinds) {
      if (!kind.name().matches("[a-z0-9]+(-[a-z0-9]+)*")) {
        throw new IllegalStateException(
            "Retention kind names are lower-case-with-hyphens: " + kind);
      }
      if (!names.add(kind.name())) {
        throw new IllegalStateException("Two retention kinds are named " + kind.name());
      }
    }
    Set<String> unknown = new TreeSet<>(properties.periods().keySet());
    unknown.removeAll(names);
    if (!unknown.isEmpty()) {
      // A misspelt kind would otherwise keep its records for the default period, silently.
      throw new IllegalStateException(
          "paybridge.retention.periods names kinds this service does not have: "
              + unknown
              + " (its kinds: "
              + names
              + ")");
    }
    for (RetentionKind kind : kinds) {
      if (properties.periodOf(kind).isNegative() || properties.periodOf(kind).isZero()) {
        throw new IllegalStateException(
            "The retention period of " + kind.name() + " must be positive");
      }
    }
    this.kinds = List.copyOf(kinds);
    this.properties = properties;
    this.clock = clock;
    for (RetentionKind kind : kinds) {
      deleted.put(
          kind.name(),
          Counter.builder("paybridge.retention.deleted")
              .description("Records removed by the retention job, by kind")
              .tag("kind", kind.name())
              .register(meters));
      failures.put(
          kind.name(),
          Counter.builder("paybridge.retention.failures")
              .description("Runs of the retention job that failed for a kind")
              .tag("kind", kind.name())
              .register(meters));
    }
  }

  /** The kinds and their periods, by name. */
  public Map<String, Duration> periods() {
    return kinds.stream()
        .collect(
            Collectors.toMap(
                RetentionKind::name, properties::periodOf, (a, b) -> a, LinkedHashMap::new));
  }

  /**
   * Removes every kind's records older than its period (measured from the clock's now).
   *
   * @return how many records of each kind were removed (a failed kind is absent)
   */
  public Map<String, Long> run() {
    Map<String, Long> removed = new LinkedHashMap<>();
    for (RetentionKind kind : kinds) {
      var cutoff = clock.instant().minus(properties.periodOf(kind));
      try {
        long count = kind.deleteOlderThan(cutoff);
        deleted.get(kind.name()).increment(count);
        removed.put(kind.name(), count);
        if (count > 0) {
          log.info("Retention removed {} {} older than {}", count, kind.name(), cutoff);
        }
      } catch (RuntimeException e) {
        failures.get(kind.name()).increment();
        log.warn("Retention of {} failed: {}", kind.name(), e.toString());
      }
    }
    return removed;
  }
}
