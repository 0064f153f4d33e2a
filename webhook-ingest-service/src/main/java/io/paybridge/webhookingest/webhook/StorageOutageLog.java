package io.paybridge.webhookingest.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Logs a storage outage as an outage, not once per delivery it refused. While the database cannot
 * be used, every delivery is answered 503 (GoCardless delivers it again) and counted in {@code
 * paybridge.webhooks.received{outcome=unavailable}}; under a redelivery burst that is thousands a
 * second, and one ERROR line each would bury everything else in the log and page an operator a
 * thousand times for one cause. So: one ERROR line when deliveries start failing, one every {@link
 * #REPORT_EVERY} while they go on (how many since the last line, and the latest cause), and one
 * INFO line at the first delivery stored again (how long, how many refused).
 */
@Component
class StorageOutageLog {

  static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(StorageOutageLog.class);

  private final Clock clock;

  // Written under the lock; read without it on every stored delivery (a volatile read).
  private volatile boolean failing;
  private Instant since;
  private Instant reportedAt;
  private long refused;
  private long refusedAtReport;

  StorageOutageLog(Clock clock) {
    this.clock = clock;
  }

  /** A delivery answered 503 because the database could not be used; {@code cause} says how. */
  void refused(String cause) {
    Instant now = clock.instant();
    synchronized (this) {
      if (!failing) {
        failing = true;
        since = now;
        reportedAt = now;
        refused = 1;
        refusedAtReport = 1;
        log.error(
            "Could not store a webhook: {}; answering 503 while the store is unavailable"
                + " (one line per {} s)",
            cause,
            REPORT_EVERY.toSeconds());
        return;
      }
      refused++;
      Duration sinceReport = Duration.between(reportedAt, now);
      if (sinceReport.compareTo(REPORT_EVERY) >= 0) {
        log.error(
            "Still cannot store webhooks: {} more answered 503 in {} s ({} since {}); latest: {}",
            refused - refusedAtReport,
            sinceReport.toSeconds(),
            refused,
            since,
            cause);
        reportedAt = now;
        refusedAtReport = refused;
      }
    }
  }

  /** A delivery was stored: ends the outage, if there was one. */
  void stored() {
    if (!failing) {
      return;
    }
    Instant now = clock.instant();
    synchronized (this) {
      if (!failing) {
        return;
      }
      failing = false;
      log.info(
          "Storing webhooks again after {} ms: {} answered 503 since {}",
          Duration.between(since, now).toMillis(),
          refused,
          since);
    }
  }
}
