package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/**
 * A record Kafka refuses for good (here larger than the relay producer's {@code max.request.size}):
 * with parking off the relay is DOWN with the reason and relays nothing of the batch; with parking
 * on it parks the record in {@code outbox_parked} after {@code park-after-attempts} and relays the
 * rest, each event exactly once for {@code read_committed} consumers; the parked record can be
 * re-sent with its id once the cause is fixed.
 */
class RefusedRecordIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aRecordTooLargeIsReportedThenParkedAndTheRestIsRelayedOnce() throws Exception {
    try (var fixture = new RelayFixture("refused");
        var consumer = KafkaTestConsumer.fromNow(fixture.topic)) {
      String bootstrap = EmbeddedKafkaServer.shared().bootstrapServers();
      // Small enough for the test's ordinary records and the position record, not for the big one.
      Map<String, Object> small =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrap,
              ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
              8192);
      var neverPark = RelayFixture.properties(fixture.service, Duration.ofSeconds(3), 0);
      var meters = new SimpleMeterRegistry();
      var stuck = fixture.relay(neverPark, small, meters);
      var health = health(fixture, stuck);
      stuck.start();
      String run = UUID.randomUUID().toString();
      fixture.commit(run + "-0", 10);
      await().atMost(WAIT).until(() -> stuck.status().relayed() >= 10);

      String big = run + "-big";
      fixture.commit(run + "-1", 10);
      fixture.commitOne(big, "{\"blob\":\"" + "x".repeat(20_000) + "\"}");
      fixture.commit(run + "-2", 10);
      await().atMost(WAIT).until(() -> "record_too_large".equals(stuck.status().reason()));
      var down = health.health(true);
      assertThat(down.getStatus()).isEqualTo(Status.DOWN);
      assertThat((String) down.getDetails().get("reasonDetail"))
          .contains(big, fixture.topic, "RecordTooLargeException", "parking is off");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  meters
                          .get("paybridge.outbox.relay.refused")
                          .tag("reason", "record_too_large")
                          .counter()
                          .count()
                      >= 2);
      assertThat(stuck.status().relayed()).as("nothing after the refused record").isLessThan(30);
      stuck.stop();

      var relay =
          fixture.relay(
              RelayFixture.properties(fixture.service, Duration.ofSeconds(3), 3),
              small,
              new SimpleMeterRegistry());
      var parkingHealth = health(fixture, relay);
      relay.start();
      await().atMost(WAIT).until(() -> relay.status().parked() == 1);
      fixture.commit(run + "-3", 10);
      await()
          .atMost(WAIT)
          .until(() -> relay.status().failingSince() == null && relay.status().reason() == null);
      var up = parkingHealth.health(true);
      assertThat(up.getStatus()).isEqualTo(Status.UP);
      assertThat(up.getDetails()).containsEntry("parked", 1L);

      var once = ExactlyOnceRelayIT.readAfterMarker(fixture, consumer, run);
      assertThat(ExactlyOnceRelayIT.countById(once, run))
          .as("every other event exactly once; the big one is not on the topic")
          .containsOnlyKeys(ExactlyOnceRelayIT.expectedIds(run, 4, 10))
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));

      assertThat(fixture.jdbc.queryForObject("select count(*) from outbox_parked", Integer.class))
          .as("only the refused record is parked, not the rest of its transaction")
          .isEqualTo(1);
      var parked = fixture.jdbc.queryForMap("select * from outbox_parked where event_id = ?", big);
      assertThat(parked)
          .containsEntry("topic", fixture.topic)
          .containsEntry("reason", "record_too_large")
          .containsEntry("record_key", "K-" + big);
      assertThat((String) parked.get("record_value")).hasSize(20_000 + "{\"blob\":\"\"}".length());
      assertThat(parked.get("headers").toString()).contains("\"id\",\"" + big + "\"");
      var parkedHealth =
          new OutboxHealthIndicators.Parked(
              republisher(fixture, bootstrap).parked(), java.time.Duration.ZERO);
      assertThat(parkedHealth.health().getDetails()).containsEntry("open", 1L);

      // The cause fixed (the default max.request.size, 1 MB): re-sent with its id and headers.
      long parkedId = ((Number) parked.get("id")).longValue();
      assertThat(republisher(fixture, bootstrap).resendParked(parkedId, "test: limit raised"))
          .isTrue();
      var resent = consumer.await(r -> big.equals(r.header(EventHeaders.ID)), WAIT);
      assertThat(resent.value()).isEqualTo(parked.get("record_value"));
      assertThat(resent.header("ce_id")).isEqualTo(big);
      assertThat(parkedHealth.health().getDetails()).containsEntry("open", 0L);
      assertThat(republisher(fixture, bootstrap).resendParked(parkedId, "again")).isFalse();
    }
  }

  /**
   * The producer's behaviour that {@link RecordRefusal#ownFailures} relies on, on this Kafka: a
   * record it refuses itself fails before {@code send} returns; a record of the same transaction
   * still waiting to be sent then fails with that very exception instance; and the send of a record
   * after it throws instead of returning a future.
   */
  @Test
  void theProducerFailsTheQueuedRecordsOfATransactionWithTheRefusedRecordsOwnError()
      throws Exception {
    var kafka = EmbeddedKafkaServer.shared();
    String topic = "test.refused-queued-" + UUID.randomUUID();
    kafka.createTopics(topic);
    Map<String, Object> settings =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            8192,
            ProducerConfig.LINGER_MS_CONFIG,
            60_000, // the first record waits in the accumulator
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "refused-queued-" + UUID.randomUUID());
    try (var producer =
        new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      var queued = producer.send(new ProducerRecord<>(topic, "K", "small"));
      var refused = producer.send(new ProducerRecord<>(topic, "K", "x".repeat(20_000)));
      assertThat(refused).as("refused before send returned").isDone();
      producer.flush(); // the queued record is failed by the producer's sender, at the latest now

      Throwable own = failure(refused);
      assertThat(own).isInstanceOf(RecordTooLargeException.class);
      assertThat(failure(queued)).isSameAs(own);
      assertThat(RecordRefusal.ownFailures(List.of(queued, refused), Set.of(1)))
          .containsOnlyKeys(1);
      // A record sent after the refusal gets no future: its send throws.
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "K", "after")))
          .isInstanceOf(KafkaException.class)
          .hasCause(own);
      producer.abortTransaction();
    }
  }

  private static Throwable failure(Future<?> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected the send to fail");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static OutboxRepublisher republisher(RelayFixture fixture, String bootstrap) {
    return SlotLossIT.republisher(fixture, bootstrap);
  }

  private static OutboxHealthIndicators.Relay health(RelayFixture fixture, OutboxRelay relay) {
    return fixture.relayHealth(relay);
  }
}
