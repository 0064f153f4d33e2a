package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/**
 * A replication slot lost while the relay is stopped (dropped by hand, as a failover without slot
 * sync would lose it) or replaced by a new one: the relay refuses to stream instead of streaming
 * from a new slot and missing what was committed in between, reports why (health DOWN with {@code
 * reason}, the {@code paybridge.outbox.relay.slot.mismatch} gauge), and the runbook's recovery
 * (acknowledge, then re-publish the range the acknowledgement names) puts every committed event on
 * Kafka with its original id.
 */
class SlotLossIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void refusesAMissingSlotAndTheRecoveryPublishesEveryEventWithItsId() throws Exception {
    try (var fixture = new RelayFixture("slot-lost");
        var consumer = KafkaTestConsumer.fromNow(fixture.topic)) {
      String bootstrap = EmbeddedKafkaServer.shared().bootstrapServers();
      String slot = fixture.properties.slotName();
      var first = fixture.relay(bootstrap);
      first.start();
      String run = UUID.randomUUID().toString();
      fixture.commit(run + "-0", 20);
      await().atMost(WAIT).until(() -> first.status().relayed() >= 20);
      first.stop();

      dropSlot(fixture);
      fixture.commit(run + "-1", 20); // in no slot's WAL: only the kept rows have them
      // A service instance starting now does not recreate the slot behind the relay's back.
      new ReplicationSetup(fixture.jdbc, fixture.properties).ensureReplication();
      assertThat(slotExists(fixture)).isFalse();

      var meters = new SimpleMeterRegistry();
      var relay =
          fixture.relay(
              fixture.properties,
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
              meters);
      var health = health(fixture, relay);
      relay.start();
      await().atMost(WAIT).until(() -> "slot_missing".equals(relay.status().reason()));
      fixture.commit(run + "-2", 20); // still no slot
      assertThat(relay.status().role()).isEqualTo(RelayStatus.Role.LEADER);
      assertThat(relay.status().streaming()).isFalse();
      assertThat(relay.status().relayed()).isZero();
      var down = health.health(true);
      assertThat(down.getStatus()).isEqualTo(Status.DOWN);
      assertThat(down.getDetails()).containsEntry("reason", "slot_missing");
      assertThat((String) down.getDetails().get("reasonDetail")).contains(slot, "does not exist");
      assertThat(meters.get("paybridge.outbox.relay.slot.mismatch").gauge().value()).isEqualTo(1.0);
      assertThat(slotExists(fixture)).as("the relay does not create the slot either").isFalse();

      // The runbook: acknowledge (creates the slot, resets the position), then re-publish.
      var recovery = recovery(fixture, bootstrap);
      assertThat(recovery.status()).containsEntry("reason", "slot_missing");
      Map<String, Object> ack = recovery.acknowledge("test: slot dropped by hand");
      assertThat(ack).containsEntry("acknowledged", "slot_missing");
      await()
          .atMost(WAIT)
          .until(() -> relay.status().streaming() && relay.status().reason() == null);
      assertThat(meters.get("paybridge.outbox.relay.slot.mismatch").gauge().value()).isZero();
      fixture.commit(run + "-3", 20); // after the acknowledgement: the relay streams it
      var republished =
          republisher(fixture, bootstrap)
              .republish(
                  Instant.parse((String) ack.get("republishFrom")),
                  Instant.parse((String) ack.get("republishTo")));
      assertThat(republished.records()).isEqualTo(60); // -0, -1, -2: created before the slot
      assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

      var received = ExactlyOnceRelayIT.readAfterMarker(fixture, consumer, run);
      var counts = ExactlyOnceRelayIT.countById(received, run);
      assertThat(counts).containsOnlyKeys(ExactlyOnceRelayIT.expectedIds(run, 4, 20));
      assertThat(counts)
          .as("missed while the slot was gone: published once, by the re-publication")
          .allSatisfy(
              (id, count) -> {
                if (id.startsWith(run + "-1-") || id.startsWith(run + "-2-")) {
                  assertThat(count).as(id).isEqualTo(1L);
                }
              });
      assertThat(counts)
          .as("relayed before the loss and inside the re-published range: twice, same id")
          .allSatisfy(
              (id, count) -> {
                if (id.startsWith(run + "-0-")) {
                  assertThat(count).as(id).isEqualTo(2L);
                }
              });
      assertThat(counts)
          .as("committed after the acknowledgement: relayed once")
          .allSatisfy(
              (id, count) -> {
                if (id.startsWith(run + "-3-")) {
                  assertThat(count).as(id).isEqualTo(1L);
                }
              });
      // The relayed copy and the re-published copy of an event are the same record.
      Map<String, List<KafkaTestConsumer.Received>> copies =
          received.stream()
              .filter(r -> r.header(EventHeaders.ID).startsWith(run + "-0-"))
              .collect(Collectors.groupingBy(r -> r.header(EventHeaders.ID)));
      copies.forEach(
          (id, both) -> {
            assertThat(both).hasSize(2);
            assertThat(both.get(1).key()).isEqualTo(both.get(0).key());
            assertThat(both.get(1).value()).isEqualTo(both.get(0).value());
            assertThat(both.get(1).headers()).isEqualTo(both.get(0).headers());
          });
    }
  }

  @Test
  void refusesASlotAheadOfItsPositionAndAcceptsItOnceAcknowledged() throws Exception {
    try (var fixture = new RelayFixture("slot-replaced")) {
      String bootstrap = EmbeddedKafkaServer.shared().bootstrapServers();
      String slot = fixture.properties.slotName();
      var first = fixture.relay(bootstrap);
      first.start();
      String run = UUID.randomUUID().toString();
      fixture.commit(run + "-0", 10);
      await().atMost(WAIT).until(() -> first.status().relayed() >= 10);
      first.stop();
      // Replaced: dropped, then created again later (as a failover that recreates slots would).
      dropSlot(fixture);
      fixture.commit(run + "-1", 10);
      fixture.jdbc.queryForList("select pg_create_logical_replication_slot(?, 'pgoutput')", slot);

      var relay = fixture.relay(bootstrap);
      relay.start();
      await().atMost(WAIT).until(() -> "slot_ahead_of_position".equals(relay.status().reason()));
      assertThat(relay.status().reasonDetail()).contains("confirmed LSN", "past");
      assertThat(relay.status().streaming()).isFalse();

      var ack = recovery(fixture, bootstrap).acknowledge("test: slot replaced");
      assertThat(ack).containsEntry("acknowledged", "slot_ahead_of_position");
      await()
          .atMost(WAIT)
          .until(() -> relay.status().streaming() && relay.status().reason() == null);
    }
  }

  @Test
  void aNormalRestartIsNotRefusedAndThereIsNothingToAcknowledge() throws Exception {
    try (var fixture = new RelayFixture("slot-kept")) {
      String bootstrap = EmbeddedKafkaServer.shared().bootstrapServers();
      var first = fixture.relay(bootstrap);
      first.start();
      fixture.commit(UUID.randomUUID() + "-0", 10);
      await().atMost(WAIT).until(() -> first.status().relayed() >= 10);
      first.stop();
      var relay = fixture.relay(bootstrap);
      relay.start();
      fixture.commit(UUID.randomUUID() + "-1", 10);
      await().atMost(WAIT).until(() -> relay.status().relayed() >= 10);
      assertThat(relay.status().reason()).isNull();
      var recovery = recovery(fixture, bootstrap);
      assertThat(recovery.status()).containsEntry("streamable", true);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> recovery.acknowledge("test"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("nothing to acknowledge");
    }
  }

  @Test
  void aRepublishedRecordCarriesEveryHeaderTheRelayGaveIt() {
    try (var fixture = new RelayFixture("republish-headers");
        var consumer = KafkaTestConsumer.fromNow(fixture.topic)) {
      String bootstrap = EmbeddedKafkaServer.shared().bootstrapServers();
      var relay = fixture.relay(bootstrap);
      relay.start();
      String id = UUID.randomUUID().toString();
      Instant before = Instant.now().minusSeconds(5);
      fixture.commitEvent(
          OutboxEvent.of(id, fixture.topic, "SH1", "ShipmentDispatched", "{\"a\":  1}")
              .withTenant("team-a")
              .withOrganisationId("OR123")
              .withTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
      var relayed = consumer.await(r -> id.equals(r.header(EventHeaders.ID)), WAIT);
      republisher(fixture, bootstrap).republish(before, Instant.now().plusSeconds(5));
      var copies = consumer.awaitCount(r -> id.equals(r.header(EventHeaders.ID)), 2, WAIT);
      var again = copies.get(1);
      assertThat(again.key()).isEqualTo(relayed.key());
      assertThat(again.value()).isEqualTo("{\"a\":  1}").isEqualTo(relayed.value());
      assertThat(again.headers()).isEqualTo(relayed.headers());
    }
  }

  static SlotRecovery recovery(RelayFixture fixture, String bootstrap) {
    var producerConfig = Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return new SlotRecovery(
        fixture.properties,
        fixture.jdbc,
        new PositionTopic(fixture.properties, producerConfig),
        new LegacyJdbcPosition(fixture.endpoint()));
  }

  static OutboxRepublisher republisher(RelayFixture fixture, String bootstrap) {
    return new OutboxRepublisher(
        fixture.properties,
        fixture.jdbc,
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  /** Drops the slot once the stopped relay's walsender has let go of it (that is asynchronous). */
  private static void dropSlot(RelayFixture fixture) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                fixture.jdbc.queryForObject(
                    "select not active from pg_replication_slots where slot_name = ?",
                    Boolean.class,
                    fixture.properties.slotName()));
    fixture.jdbc.queryForList("select pg_drop_replication_slot(?)", fixture.properties.slotName());
  }

  private static boolean slotExists(RelayFixture fixture) {
    return fixture.jdbc.queryForObject(
        "select exists(select 1 from pg_replication_slots where slot_name = ?)",
        Boolean.class,
        fixture.properties.slotName());
  }

  private static OutboxHealthIndicators.Relay health(RelayFixture fixture, OutboxRelay relay) {
    return fixture.relayHealth(relay);
  }
}
