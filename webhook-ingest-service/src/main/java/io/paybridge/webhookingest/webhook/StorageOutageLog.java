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
 *
 * <p>A store that fails and recovers by turns (a degraded database, or a service too busy to start
 * transactions in time: some deliveries stored, some refused) is one outage too: refusals less than
 * {@link #REPORT_EVERY} apart belong to the same outage, and its recoveries after the first are
 * reported at most every {@link #REPORT_EVERY} (one still unreported is reported at the next
 * delivery stored once due, or before the next outage's first line).
 */
@Component
class StorageOutageLog {

  static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(StorageOutageLog.class);

  private final Clock clock;

  // Written under the lock; read without it on every stored delivery (volatile reads).
  private volatile boolean failing;
  private volatile boolean recoveryUnreported;
  private Instant since;
  private Instant lastRefusal;
  private Instant errorAt;
  private Instant infoAt;
  private Instant recoveredAt;
  private long refused;
  private long refusedAtReport;

  StorageOutageLog(Clock clock) {
    this.clock = clock;
  }

  /** A delivery answered 503 because the database could not be used; {@code cause} says how. */
  void refused(String cause) {
    Instant now = clock.instant();
    synchronized (this) {
      boolean sameOutage =
          since != null && Duration.between(lastRefusal, now).compareTo(REPORT_EVERY) < 0;
      lastRefusal = now;
      if (!sameOutage) {
        if (recoveryUnreported) {
          reportRecovery();
        }
        failing = true;
        since = now;
        errorAt = now;
        refused = 1;
        refusedAtReport = 1;
        log.error(
            "Could not store a webhook: {}; answering 503 while the store is unavailable"
                + " (one line per {} s)",
            cause,
            REPORT_EVERY.toSeconds());
        return;
      }
      failing = true;
      recoveryUnreported = false;
      refused++;
      Duration sinceReport = Duration.between(errorAt, now);
      if (sinceReport.compareTo(REPORT_EVERY) >= 0) {
        log.error(
            "Still cannot store webhooks: {} more answered 503 in {} s ({} since {}); latest: {}",
            refused - refusedAtReport,
            sinceReport.toSeconds(),
            refused,
            since,
            cause);
        errorAt = now;
        refusedAtReport = refused;
      }
    }
  }

  /** A delivery was stored: ends the outage, if there was one. */
  void stored() {
    if (!failing && !recoveryUnreported) {
      return;
    }
    Instant now = clock.instant();
    synchronized (this) {
      if (failing) {
        failing = false;
        recoveredAt = now;
        recoveryUnreported = true;
      }
      boolean due =
          infoAt == null
              || infoAt.isBefore(since)
              || Duration.between(infoAt, now).compareTo(REPORT_EVERY) >= 0;
      if (recoveryUnreported && due) {
        reportRecovery();
        infoAt = now;
      }
    }
  }

  private void reportRecovery() {
    recoveryUnreported = false;
    log.info(
        "Storing webhooks again after {} ms: {} answered 503 since {}",
        Duration.between(since, recoveredAt).toMillis(),
        refused,
        since);
  }
}
