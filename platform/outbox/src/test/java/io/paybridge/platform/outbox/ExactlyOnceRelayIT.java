package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The relay is exactly once for {@code read_committed} consumers when its transactions fail between
 * the sends and the commit, when its engine ends there (a process kill is RelayProcessKillIT), and
 * when a newer producer with its {@code transactional.id} fences it; a {@code read_uncommitted}
 * consumer of the same topic sees the records of the failed attempts too, which shows the
 * transaction is what makes it exact.
 *
 * <p>Each test reads "to a known end": a marker event committed last is awaited, then both
 * consumers read up to the partitions' end offsets as they are then.
 */
class ExactlyOnceRelayIT {

  @Test
  void readCommittedConsumersSeeEachEventOnceWhenTransactionsFailOrTheEngineEndsBeforeCommit() {
    try (var fixture = new RelayFixture("eos-abort");
        var committed = KafkaTestConsumer.fromNow(fixture.topic);
        var uncommitted = KafkaTestConsumer.fromNowReadUncommitted(fixture.topic)) {
      var relay = fixture.relay(EmbeddedKafkaServer.shared().bootstrapServers());
      var attempts = new AtomicInteger();
      relay.beforeCommit(
          (producer, records) -> {
            if (records.isEmpty()) {
              return; // a heartbeat
            }
            // The records reach the broker's log, then the attempt fails before its commit.
            int attempt = attempts.incrementAndGet();
            if (attempt == 1 || attempt == 3) {
              producer.flush();
              throw new KafkaException("injected: the transaction fails before its commit");
            }
            if (attempt == 5) {
              producer.flush();
              // Not a Kafka error: the engine dies as on a crash, mid-transaction; the relay
              // restarts it from the position committed on Kafka.
              throw new IllegalStateException("injected: the relay dies before its commit");
            }
          });
      relay.start();
      String run = UUID.randomUUID().toString();
      for (int i = 0; i < 6; i++) {
        fixture.commit(run + "-" + i, 50);
        int batches = i + 1;
        await().atMost(Duration.ofSeconds(60)).until(() -> attempts.get() >= batches);
      }
      var ids = expectedIds(run, 6, 50);

      var once = readAfterMarker(fixture, committed, run);
      assertThat(countById(once, run))
          .as("a read_committed consumer sees each event exactly once")
          .containsOnlyKeys(ids)
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
      var all =
          uncommitted.readToEnd(
              r -> r.header(EventHeaders.ID).startsWith(run), Duration.ofSeconds(30));
      assertThat(countById(all, run).keySet()).containsAll(ids);
      assertThat(all.size())
          .as("a read_uncommitted consumer also sees the records of the failed attempts")
          .isGreaterThan(once.size());
      assertThat(attempts.get()).isGreaterThanOrEqualTo(6);
    }
  }

  @Test
  void aFencedRelayCommitsNothingAndStopsStreaming() {
    try (var fixture = new RelayFixture("eos-fence");
        var committed = KafkaTestConsumer.fromNow(fixture.topic);
        var uncommitted = KafkaTestConsumer.fromNowReadUncommitted(fixture.topic)) {
      String bootstrap = EmbeddedKafkaServer.shared().bootstrapServers();
      var relay = fixture.relay(bootstrap);
      var fencings = new AtomicInteger();
      relay.beforeCommit(
          (producer, records) -> {
            if (!records.isEmpty() && fencings.getAndIncrement() == 0) {
              producer.flush();
              // A newer leader's producer initialises with the same transactional.id while this
              // relay's batch is in flight.
              try (var newer =
                  new KafkaProducer<>(
                      Map.<String, Object>of(
                          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                          bootstrap,
                          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                          fixture.properties.transactionalId()),
                      new StringSerializer(),
                      new StringSerializer())) {
                newer.initTransactions();
              }
            }
          });
      relay.start();
      String run = UUID.randomUUID().toString();
      fixture.commit(run + "-0", 40);
      await().atMost(Duration.ofSeconds(60)).until(() -> relay.status().fencedAt() != null);
      assertThat(relay.status().lastError()).containsIgnoringCase("fence");

      // This instance still holds the service's leader lock, so it leads again, with a new
      // producer, from the position committed on Kafka: the fenced batch is relayed once.
      fixture.commit(run + "-1", 40);
      var once = readAfterMarker(fixture, committed, run);
      assertThat(countById(once, run))
          .containsOnlyKeys(expectedIds(run, 2, 40))
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
      var all =
          uncommitted.readToEnd(
              r -> r.header(EventHeaders.ID).startsWith(run), Duration.ofSeconds(30));
      assertThat(all.size())
          .as("the fenced producer's records reached the log but were never committed")
          .isGreaterThan(once.size());
    }
  }

  /** Commits a marker last, awaits it, then reads to the end offsets as they are then. */
  static List<KafkaTestConsumer.Received> readAfterMarker(
      RelayFixture fixture, KafkaTestConsumer consumer, String run) {
    fixture.commit(run + "-marker", 1);
    consumer.await(
        r -> (run + "-marker-0").equals(r.header(EventHeaders.ID)), Duration.ofSeconds(90));
    return consumer.readToEnd(
        r ->
            r.header(EventHeaders.ID).startsWith(run)
                && !r.header(EventHeaders.ID).contains("marker"),
        Duration.ofSeconds(30));
  }

  static Map<String, Long> countById(List<KafkaTestConsumer.Received> records, String run) {
    return records.stream()
        .map(r -> r.header(EventHeaders.ID))
        .filter(id -> id.startsWith(run) && !id.contains("marker"))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  static List<String> expectedIds(String run, int transactions, int perTransaction) {
    return IntStream.range(0, transactions)
        .boxed()
        .flatMap(t -> IntStream.range(0, perTransaction).mapToObj(i -> run + "-" + t + "-" + i))
        .toList();
  }
}
