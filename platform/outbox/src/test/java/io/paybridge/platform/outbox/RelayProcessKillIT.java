package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The relay runs in a JVM of its own and is killed with SIGKILL ({@link Process#destroyForcibly()})
 * several times while the service keeps committing events; each time a new process takes over from
 * the position committed on Kafka. A {@code read_committed} consumer then reads everything up to a
 * marker committed last: each event exactly once, none missing, and each key's events on their
 * partition in the order of the commits that wrote them.
 */
class RelayProcessKillIT {

  private static final int KILLS = 4;
  private static final int PER_TRANSACTION = 5;

  @Test
  void eachEventArrivesExactlyOnceAcrossRepeatedKillsOfTheRelayProcess() throws Exception {
    try (var fixture = new RelayFixture("eos-kill");
        var consumer = KafkaTestConsumer.fromNow(fixture.topic)) {
      String run = UUID.randomUUID().toString();
      var writer = fixture.startWriting(run, PER_TRANSACTION);
      var log = Path.of("target", "relay-host-" + run + ".log");
      try {
        for (int kill = 0; kill < KILLS; kill++) {
          // Everything the previous process committed, up to the partitions' ends as they are now.
          long before = distinctIds(consumer.readToEnd(r -> true, Duration.ofSeconds(30)), run);
          var process = start(fixture, log);
          try {
            // This process relays something new, then is killed at a random moment mid-stream.
            consumer.awaitDistinctIds(
                r -> r.header(EventHeaders.ID).startsWith(run),
                (int) before + 2 * PER_TRANSACTION,
                Duration.ofSeconds(90));
            sleep(ThreadLocalRandom.current().nextInt(50, 500));
          } finally {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no abort, no flush
            process.waitFor(30, TimeUnit.SECONDS);
          }
        }
        var last = start(fixture, log);
        try {
          writer.stop();
          var once = ExactlyOnceRelayIT.readAfterMarker(fixture, consumer, run);
          var counts = ExactlyOnceRelayIT.countById(once, run);
          System.out.printf(
              "RelayProcessKillIT: %d kills, %d transactions of %d events, %d records read%n",
              KILLS, writer.transactions(), PER_TRANSACTION, once.size());
          assertThat(counts)
              .as(
                  "every committed event, each exactly once (%d transactions)",
                  writer.transactions())
              .containsOnlyKeys(
                  ExactlyOnceRelayIT.expectedIds(run, writer.transactions(), PER_TRANSACTION))
              .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
          assertThat(commitOrderByKey(once, run))
              .as("each key's events in commit order (transaction, then position in it)")
              .allSatisfy(
                  (key, order) -> assertThat(order).as(key).isSortedAccordingTo(COMMIT_ORDER));
        } finally {
          last.destroyForcibly();
          last.waitFor(30, TimeUnit.SECONDS);
        }
      } finally {
        writer.stop();
      }
    }
  }

  private static final java.util.Comparator<int[]> COMMIT_ORDER =
      java.util.Comparator.<int[]>comparingInt(p -> p[0]).thenComparingInt(p -> p[1]);

  /**
   * Per record key, the (transaction, position) of its events as they were read: ids are {@code
   * <run>-<transaction>-<position>}, and the records of one key share a partition, read in offset
   * order.
   */
  private static java.util.Map<String, List<int[]>> commitOrderByKey(
      List<KafkaTestConsumer.Received> records, String run) {
    var byKey = new java.util.LinkedHashMap<String, List<int[]>>();
    for (var record : records) {
      String id = record.header(EventHeaders.ID);
      if (!id.startsWith(run + "-")) {
        continue;
      }
      String[] parts = id.substring(run.length() + 1).split("-");
      byKey
          .computeIfAbsent(record.key(), k -> new ArrayList<>())
          .add(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
    }
    return byKey;
  }

  private static long distinctIds(List<KafkaTestConsumer.Received> records, String run) {
    return records.stream()
        .map(r -> r.header(EventHeaders.ID))
        .filter(id -> id.startsWith(run))
        .distinct()
        .count();
  }

  private static Process start(RelayFixture fixture, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RelayHostMain.class.getName());
    command.add(fixture.service);
    command.add(fixture.jdbcUrl);
    command.add(EmbeddedKafkaServer.shared().bootstrapServers());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
