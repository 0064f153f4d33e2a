package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.events.CloudEventHeaders;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
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

@IntegrationTest
class OutboxRelayIT {

  private static final String TOPIC = "test.shipments";

  @Autowired OutboxWriter outbox;
  @Autowired OutboxRelay relay;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcTemplate jdbc;
  @Autowired JdbcConnectionDetails connection;
  @Autowired OutboxProperties properties;
  @Autowired OutboxEndpoint endpoint;

  @Test
  void relaysCommittedEventsWithKeyHeadersAndPayloadExactly() {
    String run = UUID.randomUUID().toString();
    String payload =
        "{\"shipment\":  \"SH1\", \"run\": \"" + run + "\"}"; // spacing kept as written
    try (var consumer = KafkaTestConsumer.fromNow(TOPIC)) {
      transactions.executeWithoutResult(
          status ->
              outbox.append(
                  OutboxEvent.of(run, TOPIC, "SH1", "ShipmentDispatched", payload)
                      .withTenant("team-a")
                      .withOrganisationId("OR123")
                      .withTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));

      var record = consumer.await(r -> run.equals(r.header(EventHeaders.ID)));
      record
          .hasKey("SH1")
          .hasHeader(EventHeaders.EVENT_TYPE, "ShipmentDispatched")
          .hasHeader(EventHeaders.TENANT, "team-a")
          .hasHeader(EventHeaders.ORGANISATION_ID, "OR123")
          .hasHeader(CloudEventHeaders.ID, run)
          .hasHeader(CloudEventHeaders.TYPE, "ShipmentDispatched")
          .hasHeader(CloudEventHeaders.SOURCE, "/paybridge/outbox-test")
          .hasHeader(CloudEventHeaders.SPECVERSION, "1.0");
      assertThat(record.value()).isEqualTo(payload);
      assertThat(record.header(CloudEventHeaders.TIME)).isNotBlank();
      // The relay's span, a child of the row's: the row's trace (W3C's example trace context), a
      // span of its own.
      assertThat(record.header(EventHeaders.TRACEPARENT))
          .matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01")
          .isNotEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }
    // Rows are kept for paybridge.outbox.retention, so that they can be re-published.
    assertThat(
            jdbc.queryForObject(
                "select count(*) from outbox_event where id = ?", Integer.class, run))
        .isEqualTo(1);
  }

  @Test
  void publishesNothingOfARolledBackTransaction() {
    String committed = UUID.randomUUID().toString();
    String rolledBack = UUID.randomUUID().toString();
    try (var consumer = KafkaTestConsumer.fromNow(TOPIC)) {
      assertThatThrownBy(
              () ->
                  transactions.executeWithoutResult(
                      status -> {
                        outbox.append(
                            OutboxEvent.of(rolledBack, TOPIC, "SH2", "ShipmentDispatched", "{}"));
                        throw new IllegalStateException("business rule failed");
                      }))
          .hasMessage("business rule failed");
      transactions.executeWithoutResult(
          status ->
              outbox.append(OutboxEvent.of(committed, TOPIC, "SH2", "ShipmentDispatched", "{}")));

      consumer.await(r -> committed.equals(r.header(EventHeaders.ID)));
      // The committed event came after the rolled-back one in the same partition: had it been
      // relayed, it would be here already.
      assertThat(consumer.received()).noneMatch(r -> rolledBack.equals(r.header(EventHeaders.ID)));
    }
  }

  @Test
  void refusesAWriteOutsideATransaction() {
    assertThatThrownBy(
            () -> outbox.append(OutboxEvent.newEvent(TOPIC, "SH3", "ShipmentDispatched", "{}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transaction");
  }

  @Test
  void relaysWhatACallersOwnStatementKeepsOfTheEventsInTheOrderBound() {
    String run = UUID.randomUUID().toString();
    // Bound in descending order of their ids.
    List<OutboxEvent> events =
        IntStream.of(3, 2, 1, 0)
            .mapToObj(
                i ->
                    OutboxEvent.of(
                        run + "-" + i, TOPIC, "SH7", "ShipmentDispatched", "{\"n\":" + i + "}"))
            .toList();
    // The caller's statement, on its own (autocommit): its other query returns three of the four
    // ids, not in the order bound; the outbox part inserts those three, in the order bound.
    String statement =
        "with kept as (select unnest(?::text[]) as id), outbox as ("
            + OutboxWriter.insertWhereIdIn("select id from kept")
            + ") select count(*) from kept";
    try (var consumer = KafkaTestConsumer.fromNow(TOPIC)) {
      jdbc.execute(
          (Connection connection) -> {
            // A plan that joins the two in id order (a merge join), as PostgreSQL may choose for
            // other sizes: the order bound must hold whatever the plan.
            try (var plan = connection.createStatement()) {
              plan.execute("set enable_hashjoin = off");
              plan.execute("set enable_nestloop = off");
            }
            try (var insert = connection.prepareStatement(statement)) {
              insert.setArray(
                  1,
                  connection.createArrayOf(
                      "text", new String[] {run + "-0", run + "-3", run + "-2"}));
              outbox.bind(connection, insert, 1, events);
              insert.executeQuery().close();
            } finally {
              try (var plan = connection.createStatement()) {
                plan.execute("reset enable_hashjoin");
                plan.execute("reset enable_nestloop");
              }
            }
            return null;
          });

      // The last one bound and kept; the key is the same, so those before it came first.
      consumer.await(r -> (run + "-0").equals(r.header(EventHeaders.ID)));
      assertThat(
              consumer.received().stream()
                  .map(r -> r.header(EventHeaders.ID))
                  .filter(id -> id.startsWith(run)))
          .containsExactly(run + "-3", run + "-2", run + "-0");
    }
  }

  @Test
  void keepsEventsCommittedWhileStoppedAndRelaysThemOnceOnRestart() {
    String run = UUID.randomUUID().toString();
    try (var consumer = KafkaTestConsumer.fromNow(TOPIC)) {
      commitEvents(run + "-before", 20);
      consumer.awaitCount(
          r -> r.header(EventHeaders.ID).startsWith(run + "-before"), 20, Duration.ofSeconds(30));

      relay.stop();
      try {
        commitEvents(run + "-during", 50);
        assertThat(
                consumer.drain(
                    r -> r.header(EventHeaders.ID).startsWith(run + "-during"),
                    Duration.ofSeconds(2)))
            .as("nothing is relayed while the relay is stopped")
            .isEmpty();
      } finally {
        relay.start();
      }

      consumer.awaitCount(
          r -> r.header(EventHeaders.ID).startsWith(run), 70, Duration.ofSeconds(60));
      var all =
          consumer.readPastMarker(
              jdbc.getDataSource(),
              TOPIC,
              r -> r.header(EventHeaders.ID).startsWith(run),
              Duration.ofSeconds(30));
      assertThat(all.stream().map(r -> r.header(EventHeaders.ID)).distinct().count()).isEqualTo(70);
      assertThat(all).as("no event relayed twice across a clean stop").hasSize(70);
    }
  }

  @Test
  void oneRelayLeadsAndAStandbyTakesOverWhenTheLeaderStops() {
    String run = UUID.randomUUID().toString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> relay.status().role() == RelayStatus.Role.LEADER);
    var standby =
        new OutboxRelay(
            properties.resolve("outbox-test"),
            new DatabaseEndpoint(
                connection.getJdbcUrl(), connection.getUsername(), connection.getPassword()),
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.shared().bootstrapServers()),
            new SimpleMeterRegistry());
    try (var consumer = KafkaTestConsumer.fromNow(TOPIC)) {
      standby.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> standby.status().role() == RelayStatus.Role.STANDBY);
      // Only one is active: the standby keeps waiting while the leader relays.
      commitEvents(run + "-a", 10);
      consumer.awaitCount(
          r -> r.header(EventHeaders.ID).startsWith(run + "-a"), 10, Duration.ofSeconds(30));
      assertThat(standby.status().role()).isEqualTo(RelayStatus.Role.STANDBY);
      assertThat(standby.status().relayed()).isZero();

      // The leader goes away (stopped here; killed sessions are the next test).
      relay.stop();
      commitEvents(run + "-b", 30);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> standby.status().role() == RelayStatus.Role.LEADER);
      consumer.awaitDistinctIds(
          r -> r.header(EventHeaders.ID).startsWith(run + "-b"), 30, Duration.ofSeconds(60));
      // The new leader counts a batch once Kafka has acknowledged it, which a consumer may see
      // first.
      await().atMost(Duration.ofSeconds(10)).until(() -> standby.status().relayed() >= 30);
    } finally {
      standby.stop();
      relay.start();
    }
  }

  @Test
  void losesNoCommittedEventWhenTheLeadersDatabaseSessionsAreKilled() {
    String run = UUID.randomUUID().toString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> relay.status().role() == RelayStatus.Role.LEADER);
    try (var consumer = KafkaTestConsumer.fromNow(TOPIC)) {
      commitEvents(run + "-a", 200);
      // Kill the relay's lock and replication sessions mid-stream, as a crash of the leader would.
      jdbc.queryForList(
          "select pg_terminate_backend(pid) from pg_stat_activity "
              + "where datname = current_database() and pid <> pg_backend_pid() "
              + "and (application_name = 'outbox-relay-leader-lock' or backend_type = 'walsender')");
      commitEvents(run + "-b", 200);

      var received =
          consumer.awaitDistinctIds(
              r -> r.header(EventHeaders.ID).startsWith(run), 400, Duration.ofSeconds(90));
      assertThat(received.stream().map(r -> r.header(EventHeaders.ID)).distinct().count())
          .as("every committed event arrives (duplicates are allowed after a crash)")
          .isEqualTo(400);
    }
  }

  private void commitEvents(String idPrefix, int count) {
    List<OutboxEvent> events = new ArrayList<>();
    IntStream.range(0, count)
        .forEach(
            i ->
                events.add(
                    OutboxEvent.of(
                        idPrefix + "-" + i,
                        TOPIC,
                        "SH-" + (i % 7),
                        "ShipmentDispatched",
                        "{\"n\":" + i + "}")));
    transactions.executeWithoutResult(status -> outbox.appendAll(events));
  }

  @Test
  void theOperatorEndpointReportsAStreamableSlotAndRefusesAnAcknowledgement() throws Exception {
    var status = endpoint.status();
    assertThat(status).containsEntry("parkedOpen", 0L);
    @SuppressWarnings("unchecked")
    var slot = (Map<String, Object>) status.get("slot");
    assertThat(slot).containsEntry("streamable", true).containsKey("slotCreatedAt");

    var refused = endpoint.act("acknowledge-slot", null, null, null, "test: nothing is wrong");
    assertThat(refused.getStatus()).isEqualTo(409);
    assertThat(refused.getBody().get("error").toString()).contains("nothing to acknowledge");
    assertThat(endpoint.act("acknowledge-slot", null, null, null, null).getStatus()).isEqualTo(400);
    assertThat(endpoint.act("rewind", null, null, null, null).getStatus()).isEqualTo(400);
    assertThat(endpoint.act("republish", "yesterday", "today", null, null).getStatus())
        .isEqualTo(400);
    assertThat(endpoint.act("resend-parked", null, null, 424242L, "none").getBody())
        .containsEntry("resent", false);
  }
}
