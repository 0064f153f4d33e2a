package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The relay stopped again and again while the outbox fills with large transactions: each stop ends
 * the Debezium engine as a stop, not as a failure (no ERROR logged, no error in the relay's status,
 * the engine's completion reported as success), and after a last start every committed event is on
 * Kafka exactly once.
 *
 * <p>Debezium's engine shuts down the pool that transforms polled records before it interrupts the
 * thread that polls: a batch polled or being transformed at that moment failed the engine ({@code
 * RejectedExecutionException}, or the relay's own "stopping" refusal), logged as "Engine has
 * failed" although nothing was lost. Large transactions keep the polling thread busy with such
 * batches.
 */
class RelayStopIT {

  private static final int STOPS = 8;
  private static final int PER_TRANSACTION = 50;

  @Test
  void everyStopUnderLoadEndsTheEngineCleanlyAndLosesNothing() throws Exception {
    var errors = new ListAppender<ILoggingEvent>();
    var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    errors.start();
    root.addAppender(errors);
    try (var fixture = new RelayFixture("stop-under-load");
        var consumer = KafkaTestConsumer.fromNow(fixture.topic)) {
      var relay = fixture.relay(EmbeddedKafkaServer.shared().bootstrapServers());
      String run = UUID.randomUUID().toString();
      var writer = fixture.startWriting(run, PER_TRANSACTION);
      var stopTimes = new ArrayList<Long>();
      try {
        for (int stop = 0; stop < STOPS; stop++) {
          long relayedBefore = relay.status().relayed();
          relay.start();
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> relay.status().relayed() > relayedBefore);
          Thread.sleep(ThreadLocalRandom.current().nextInt(0, 300));
          long started = System.nanoTime();
          relay.stop();
          stopTimes.add((System.nanoTime() - started) / 1_000_000);
          assertThat(relay.status().lastError())
              .as("the relay's error after stop %d", stop)
              .isNull();
        }
      } finally {
        writer.stop();
      }
      relay.start();
      var once = ExactlyOnceRelayIT.readAfterMarker(fixture, consumer, run);
      System.out.printf(
          "RelayStopIT: %d stops under load (%s ms each), %d transactions of %d events%n",
          STOPS, stopTimes, writer.transactions(), PER_TRANSACTION);
      assertThat(ExactlyOnceRelayIT.countById(once, run))
          .as("every committed event, each exactly once (%d transactions)", writer.transactions())
          .containsOnlyKeys(
              ExactlyOnceRelayIT.expectedIds(run, writer.transactions(), PER_TRANSACTION))
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    } finally {
      root.detachAppender(errors);
    }
    List<String> logged =
        errors.list.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
            .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
            .toList();
    assertThat(logged).as("ERRORs logged while the relay stopped under load").isEmpty();
  }
}
