package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/**
 * Kafka away: the service keeps committing, the relay's health is DOWN and it relays nothing; once
 * Kafka answers again, every event arrives exactly once for a {@code read_committed} consumer.
 *
 * <p>Two shapes: a broker address where nothing listens (a real network failure; a second relay
 * instance with the real address relays afterwards, since the shared broker cannot be moved), and
 * commits that time out mid-stream on the real broker (a fault injected in the relay's transaction
 * between its sends and its commit), which the same relay instance recovers from in place.
 */
class KafkaOutageIT {

  @Test
  void keepsCommittingWhileNoBrokerAnswersAndRelaysEachEventOnceWhenOneDoes() throws Exception {
    try (var fixture = new RelayFixture("outage-unreachable");
        var consumer = KafkaTestConsumer.fromNow(fixture.topic)) {
      var unreachable = fixture.relay("localhost:" + unusedPort());
      var health = health(fixture, unreachable);
      unreachable.start();
      String run = UUID.randomUUID().toString();
      fixture.commit(run + "-0", 25); // the service still commits its state and events
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> unreachable.status().failingSince() != null);
      assertThat(unreachable.status().role()).isEqualTo(RelayStatus.Role.LEADER);
      assertThat(unreachable.status().relayed()).isZero();
      assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
      unreachable.stop();

      var reachable = fixture.relay(EmbeddedKafkaServer.shared().bootstrapServers());
      reachable.start();
      fixture.commit(run + "-1", 25);
      var once = ExactlyOnceRelayIT.readAfterMarker(fixture, consumer, run);
      assertThat(ExactlyOnceRelayIT.countById(once, run))
          .containsOnlyKeys(ExactlyOnceRelayIT.expectedIds(run, 2, 25))
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    }
  }

  @Test
  void theSameRelayRecoversInPlaceWhenCommitsTimeOutForAWhile() {
    try (var fixture = new RelayFixture("outage-timeouts");
        var consumer = KafkaTestConsumer.fromNow(fixture.topic)) {
      var relay = fixture.relay(EmbeddedKafkaServer.shared().bootstrapServers());
      var health = health(fixture, relay);
      var outageUntil = new java.util.concurrent.atomic.AtomicReference<Instant>();
      var downSeen = new ArrayList<Status>();
      relay.beforeCommit(
          (producer, records) -> {
            Instant until = outageUntil.get();
            if (until != null && Instant.now().isBefore(until)) {
              producer.flush();
              throw new TimeoutException("injected: Kafka did not answer the commit in time");
            }
          });
      relay.start();
      String run = UUID.randomUUID().toString();
      fixture.commit(run + "-0", 30);
      await().atMost(Duration.ofSeconds(60)).until(() -> relay.status().relayed() >= 30);

      outageUntil.set(Instant.now().plusSeconds(6));
      fixture.commit(run + "-1", 30);
      await().atMost(Duration.ofSeconds(30)).until(() -> relay.status().failingSince() != null);
      downSeen.add(health.health(true).getStatus());
      fixture.commit(run + "-2", 30);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> relay.status().relayed() >= 90 && relay.status().failingSince() == null);
      assertThat(downSeen).containsExactly(Status.DOWN);
      assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
      List<KafkaTestConsumer.Received> once =
          ExactlyOnceRelayIT.readAfterMarker(fixture, consumer, run);
      assertThat(ExactlyOnceRelayIT.countById(once, run))
          .containsOnlyKeys(ExactlyOnceRelayIT.expectedIds(run, 3, 30))
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    }
  }

  private static OutboxHealthIndicators.Relay health(RelayFixture fixture, OutboxRelay relay) {
    return fixture.relayHealth(relay);
  }

  private static int unusedPort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
