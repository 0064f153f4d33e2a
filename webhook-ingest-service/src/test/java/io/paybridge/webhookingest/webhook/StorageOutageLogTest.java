package io.paybridge.webhookingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An outage's log lines: its start, one line per 10 s while it lasts, its end. */
class StorageOutageLogTest {

  private final SteppedClock clock = new SteppedClock();
  private final StorageOutageLog outageLog = new StorageOutageLog(clock);
  private final Logger logger = (Logger) LoggerFactory.getLogger(StorageOutageLog.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void oneLineWhenRefusalsStartOnePer10SecondsWhileTheyLastAndOneWhenStoringResumes() {
    // 100 refusals a second for 25 s.
    for (int i = 0; i < 2_500; i++) {
      outageLog.refused("connection refused " + i);
      clock.advance(Duration.ofMillis(10));
    }
    outageLog.stored();
    outageLog.stored();

    assertThat(lines.list)
        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
        .containsExactly(
            tuple(
                Level.ERROR,
                "Could not store a webhook: connection refused 0; answering 503 while the store is"
                    + " unavailable (one line per 10 s)"),
            tuple(
                Level.ERROR,
                "Still cannot store webhooks: 1000 more answered 503 in 10 s (1001 since"
                    + " 2026-12-01T00:00:00Z); latest: connection refused 1000"),
            tuple(
                Level.ERROR,
                "Still cannot store webhooks: 1000 more answered 503 in 10 s (2001 since"
                    + " 2026-12-01T00:00:00Z); latest: connection refused 2000"),
            tuple(
                Level.INFO,
                "Storing webhooks again after 25000 ms: 2500 answered 503 since"
                    + " 2026-12-01T00:00:00Z"));
  }

  @Test
  void anOutageMoreThan10SecondsAfterTheLastRecoveryIsReportedAsNew() {
    outageLog.refused("first");
    outageLog.stored();
    clock.advance(Duration.ofSeconds(11));
    outageLog.refused("second");

    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .last()
        .asString()
        .startsWith("Could not store a webhook: second;");
  }

  @Test
  void aStoreThatFailsAndRecoversByTurnsIsOneOutageOfAtMostTwoLinesPer10Seconds() {
    // For 25 s, one delivery in two refused, 100 deliveries a second; then 15 s of stored ones.
    for (int i = 0; i < 2_500; i++) {
      if (i % 2 == 0) {
        outageLog.refused("deadline " + i);
      } else {
        outageLog.stored();
      }
      clock.advance(Duration.ofMillis(10));
    }
    for (int i = 0; i < 500; i++) {
      outageLog.stored();
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(lines.list).as("the last recovery, 5 s after the line before").hasSize(6);
    for (int i = 0; i < 1_000; i++) {
      outageLog.stored();
      clock.advance(Duration.ofMillis(10));
    }

    assertThat(lines.list)
        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
        .containsExactly(
            tuple(
                Level.ERROR,
                "Could not store a webhook: deadline 0; answering 503 while the store is"
                    + " unavailable (one line per 10 s)"),
            tuple(
                Level.INFO,
                "Storing webhooks again after 10 ms: 1 answered 503 since 2026-12-01T00:00:00Z"),
            tuple(
                Level.ERROR,
                "Still cannot store webhooks: 500 more answered 503 in 10 s (501 since"
                    + " 2026-12-01T00:00:00Z); latest: deadline 1000"),
            tuple(
                Level.INFO,
                "Storing webhooks again after 10010 ms: 501 answered 503 since"
                    + " 2026-12-01T00:00:00Z"),
            tuple(
                Level.ERROR,
                "Still cannot store webhooks: 500 more answered 503 in 10 s (1001 since"
                    + " 2026-12-01T00:00:00Z); latest: deadline 2000"),
            tuple(
                Level.INFO,
                "Storing webhooks again after 20010 ms: 1001 answered 503 since"
                    + " 2026-12-01T00:00:00Z"),
            // The last recovery (24.99 s), reported at the first delivery stored 10 s after the
            // line before it.
            tuple(
                Level.INFO,
                "Storing webhooks again after 24990 ms: 1250 answered 503 since"
                    + " 2026-12-01T00:00:00Z"));
  }

  @Test
  void aRecoveryNotReportedYetIsReportedBeforeTheNextOutage() {
    outageLog.refused("first");
    outageLog.stored();
    clock.advance(Duration.ofSeconds(2));
    outageLog.refused("again");
    clock.advance(Duration.ofSeconds(1));
    outageLog.stored(); // within 10 s of the last INFO line: not reported yet
    clock.advance(Duration.ofSeconds(30));
    outageLog.refused("second");

    assertThat(lines.list)
        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
        .containsExactly(
            tuple(
                Level.ERROR,
                "Could not store a webhook: first; answering 503 while the store is unavailable"
                    + " (one line per 10 s)"),
            tuple(
                Level.INFO,
                "Storing webhooks again after 0 ms: 1 answered 503 since 2026-12-01T00:00:00Z"),
            tuple(
                Level.INFO,
                "Storing webhooks again after 3000 ms: 2 answered 503 since"
                    + " 2026-12-01T00:00:00Z"),
            tuple(
                Level.ERROR,
                "Could not store a webhook: second; answering 503 while the store is unavailable"
                    + " (one line per 10 s)"));
  }

  @Test
  void storedDeliveriesOutsideAnOutageLogNothing() {
    outageLog.stored();
    assertThat(lines.list).isEmpty();
  }

  /** A clock the test moves. */
  private static final class SteppedClock extends Clock {

    private Instant now = Instant.parse("2026-12-01T00:00:00Z");

    void advance(Duration step) {
      now = now.plus(step);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
