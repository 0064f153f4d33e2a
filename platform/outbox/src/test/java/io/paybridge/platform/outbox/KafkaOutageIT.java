package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Kafka cannot be reached while the service keeps committing events; once a relay reaches Kafka
 * again, every committed event arrives. A relay with a replication slot of its own plays the
 * service's relay, first against an address where no broker listens.
 */
@IntegrationTest
class KafkaOutageIT {

  private static final String TOPIC = "test.outage";
  private static final String SLOT = "outbox_test_outage";

  @Autowired OutboxWriter outbox;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcTemplate jdbc;
  @Autowired JdbcConnectionDetails connection;
  @Autowired OutboxProperties properties;

  @Test
  void keepsCommittingWhileKafkaIsUnreachableAndRelaysEverythingOnceItIsReachable()
      throws Exception {
    var relayProperties =
        new OutboxProperties(
                "outbox-test-outage",
                true,
                true,
                SLOT,
                SLOT,
                null,
                Duration.ofMillis(500),
                properties.heartbeatInterval(),
                properties.offsetFlushInterval(),
                properties.pollInterval(),
                properties.maxBatchSize(),
                Duration.ofMillis(500),
                Duration.ofSeconds(3),
                properties.consumedMessageRetention())
            .resolve("outbox-test");
    new ReplicationSetup(jdbc, relayProperties).ensureReplication();
    String run = UUID.randomUUID().toString();
    var unreachable = relay(relayProperties, "localhost:" + unusedPort());
    try (var consumer = KafkaTestConsumer.fromNow(TOPIC)) {
      unreachable.start();
      commit(run, 25); // the service still commits its state and events
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> unreachable.status().failingSince() != null);
      assertThat(unreachable.status().role()).isEqualTo(RelayStatus.Role.LEADER);
      assertThat(unreachable.status().relayed()).isZero();
      // The relay's lag keeps growing while the batch waits, so an outage shows in the metric.
      var lagDuringOutage = unreachable.status().lag();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> unreachable.status().lag().compareTo(lagDuringOutage) > 0);
      unreachable.stop();

      var reachable = relay(relayProperties, EmbeddedKafkaServer.shared().bootstrapServers());
      try {
        reachable.start();
        // The main relay of this service publishes the same rows to the same topic: count this
        // relay's own acknowledgements, and that every event arrived.
        await().atMost(Duration.ofSeconds(60)).until(() -> reachable.status().relayed() >= 25);
        var records =
            consumer.awaitDistinctIds(
                r -> r.header(EventHeaders.ID).startsWith(run), 25, Duration.ofSeconds(30));
        assertThat(records.stream().map(r -> r.header(EventHeaders.ID)).distinct())
            .containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 25).mapToObj(i -> run + "-" + i).toList());
        assertThat(reachable.status().failingSince()).isNull();
      } finally {
        reachable.stop();
      }
    } finally {
      unreachable.stop();
      jdbc.queryForList("select pg_drop_replication_slot(?)", SLOT);
    }
  }

  private OutboxRelay relay(OutboxProperties relayProperties, String bootstrapServers) {
    return new OutboxRelay(
        relayProperties,
        new DatabaseEndpoint(
            connection.getJdbcUrl(), connection.getUsername(), connection.getPassword()),
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        new SimpleMeterRegistry());
  }

  private void commit(String idPrefix, int count) {
    List<OutboxEvent> events =
        IntStream.range(0, count)
            .mapToObj(i -> OutboxEvent.of(idPrefix + "-" + i, TOPIC, "K" + i, "Tested", "{}"))
            .toList();
    transactions.executeWithoutResult(status -> outbox.appendAll(events));
  }

  private static int unusedPort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
