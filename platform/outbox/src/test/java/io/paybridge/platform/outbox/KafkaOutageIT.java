package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Kafka is unreachable while the service keeps committing events: the relay's health is DOWN and it
 * relays nothing; when a broker comes up at the address, the same relay instance recovers in place
 * and a {@code read_committed} consumer sees every event exactly once. The broker is one of this
 * test's own, started late on a port chosen up front (the shared broker cannot be stopped and
 * brought back).
 */
class KafkaOutageIT {

  @Test
  void keepsCommittingWhileKafkaIsAwayThenRecoversInPlaceAndRelaysEachEventOnce() throws Exception {
    int port = unusedPort();
    String bootstrap = "localhost:" + port;
    try (var fixture = new RelayFixture("outage")) {
      var relay = fixture.relay(bootstrap);
      var health =
          new OutboxHealthIndicators.Relay(
              relay,
              new OutboxHealthIndicators.OutboxBacklog(
                  fixture.jdbc, fixture.properties.slotName()));
      relay.start();
      String run = UUID.randomUUID().toString();
      fixture.commit(run + "-a", 25); // the service still commits its state and events
      await().atMost(Duration.ofSeconds(60)).until(() -> relay.status().failingSince() != null);
      assertThat(relay.status().role()).isEqualTo(RelayStatus.Role.LEADER);
      assertThat(relay.status().relayed()).isZero();
      assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
      fixture.commit(run + "-b", 25);

      var broker = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(port);
      broker.brokerProperties(
          Map.of(
              "auto.create.topics.enable", "true",
              "offsets.topic.replication.factor", "1",
              "transaction.state.log.replication.factor", "1",
              "transaction.state.log.min.isr", "1"));
      broker.afterPropertiesSet();
      try {
        await().atMost(Duration.ofSeconds(120)).until(() -> relay.status().relayed() >= 50);
        assertThat(relay.status().failingSince()).isNull();
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

        try (var consumer = KafkaTestConsumer.onBrokerFromBeginning(bootstrap, fixture.topic)) {
          fixture.commit(run + "-marker", 1);
          consumer.await(
              r -> (run + "-marker-0").equals(r.header(EventHeaders.ID)), Duration.ofSeconds(60));
          var records =
              consumer.readToEnd(
                  r -> !r.header(EventHeaders.ID).contains("marker"), Duration.ofSeconds(30));
          var expected = new java.util.ArrayList<String>();
          for (int i = 0; i < 25; i++) {
            expected.add(run + "-a-" + i);
            expected.add(run + "-b-" + i);
          }
          assertThat(ExactlyOnceRelayIT.countById(records, run))
              .containsOnlyKeys(expected)
              .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
        }
      } finally {
        relay.stop();
        broker.destroy();
      }
    }
  }

  private static int unusedPort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
