package io.paybridge.platform.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A service of its own for a relay test: a database on the embedded PostgreSQL with the platform's
 * outbox tables, its slot and publication, and a topic, so that no other relay of the test JVM
 * publishes its rows (the test application's relay streams its own database only).
 */
final class RelayFixture implements AutoCloseable {

  final String service;
  final String topic;
  final String database;
  final String jdbcUrl;
  final JdbcTemplate jdbc;
  final OutboxProperties properties;
  private final OutboxWriter outbox;
  private final TransactionTemplate transactions;
  private final List<OutboxRelay> relays = new ArrayList<>();

  /** {@code name}: lowercase letters, digits and hyphens, unique within the test JVM. */
  RelayFixture(String name) {
    service = "outbox-" + name;
    topic = "test." + name;
    database = EmbeddedPostgresServer.databaseNameFor("outbox-" + name);
    var postgres = EmbeddedPostgresServer.shared();
    jdbcUrl = postgres.jdbcUrl(database);
    DataSource dataSource = postgres.dataSource(database);
    jdbc = new JdbcTemplate(dataSource);
    if (jdbc.queryForObject("select to_regclass('outbox_event') is null", Boolean.class)) {
      jdbc.execute(platformMigration("V0_1__platform_outbox.sql"));
    }
    if (jdbc.queryForObject("select to_regclass('outbox_parked') is null", Boolean.class)) {
      jdbc.execute(platformMigration("V0_2__platform_outbox_recovery.sql"));
    }
    if (jdbc.queryForObject("select to_regclass('outbox_placement') is null", Boolean.class)) {
      jdbc.execute(platformMigration("V0_4__platform_outbox_timeline.sql"));
      jdbc.execute(platformMigration("V0_6__platform_outbox_placements_unlogged.sql"));
    }
    properties = properties(service, Duration.ofSeconds(3));
    new ReplicationSetup(jdbc, properties).ensureReplication();
    outbox = new OutboxWriter(jdbc, properties.deleteAfterInsert());
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** Relay settings for tests: short intervals, {@code sendTimeout} as given, rows kept. */
  static OutboxProperties properties(String service, Duration sendTimeout) {
    return properties(service, sendTimeout, 5);
  }

  /** As {@link #properties(String, Duration)}, parking refused records after so many attempts. */
  static OutboxProperties properties(String service, Duration sendTimeout, int parkAfterAttempts) {
    return new OutboxProperties(
            service,
            true,
            false,
            null,
            null,
            null,
            Duration.ofMillis(500),
            Duration.ofSeconds(2),
            Duration.ofMillis(500),
            Duration.ofMillis(50),
            2048,
            Duration.ofMillis(300),
            sendTimeout,
            Duration.ofDays(30),
            null,
            null,
            Duration.ofSeconds(60),
            Duration.ofDays(7),
            100,
            parkAfterAttempts,
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            true)
        .resolve(service);
  }

  OutboxRelay relay(String bootstrapServers) {
    return relay(properties, bootstrapServers);
  }

  OutboxRelay relay(OutboxProperties relayProperties, String bootstrapServers) {
    return relay(
        relayProperties,
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        new SimpleMeterRegistry());
  }

  OutboxRelay relay(
      OutboxProperties relayProperties,
      Map<String, Object> producerConfig,
      io.micrometer.core.instrument.MeterRegistry meters) {
    var relay = new OutboxRelay(relayProperties, endpoint(), producerConfig, meters);
    relays.add(relay);
    return relay;
  }

  DatabaseEndpoint endpoint() {
    return endpoint(DatabaseEndpoint.DEFAULT_DEAD_CONNECTION_TIMEOUT);
  }

  DatabaseEndpoint endpoint(Duration deadConnectionTimeout) {
    return new DatabaseEndpoint(
        jdbcUrl,
        EmbeddedPostgresServer.USER,
        EmbeddedPostgresServer.PASSWORD,
        deadConnectionTimeout);
  }

  /** Commits {@code event} in a transaction of its own. */
  void commitEvent(OutboxEvent event) {
    transactions.executeWithoutResult(status -> outbox.append(event));
  }

  /** Commits one event whose payload is {@code payload} (JSON text). */
  void commitOne(String id, String payload) {
    transactions.executeWithoutResult(
        status -> outbox.append(OutboxEvent.of(id, topic, "K-" + id, "Tested", payload)));
  }

  /** Commits {@code count} events with ids {@code <prefix>-0…} in one transaction. */
  void commit(String idPrefix, int count) {
    var events =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    OutboxEvent.of(
                        idPrefix + "-" + i, topic, "K" + (i % 11), "Tested", "{\"n\":" + i + "}"))
            .toList();
    transactions.executeWithoutResult(status -> outbox.appendAll(events));
  }

  /**
   * Starts committing transactions of {@code perTransaction} events, ids {@code
   * <run>-<transaction>-<position>}, one every 20 ms or so, until {@link Writer#stop()}.
   */
  Writer startWriting(String run, int perTransaction) {
    return new Writer(run, perTransaction);
  }

  /** Commits transactions on a thread of its own (see {@link #startWriting}). */
  final class Writer {
    private final AtomicInteger transactions = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final Thread thread;

    private Writer(String run, int perTransaction) {
      thread =
          Thread.ofPlatform()
              .name("outbox-writer-" + service)
              .start(
                  () -> {
                    while (writing.get()) {
                      commit(run + "-" + transactions.get(), perTransaction);
                      transactions.incrementAndGet();
                      try {
                        Thread.sleep(20);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    /** Stops after the transaction being committed, and waits for it. */
    void stop() throws InterruptedException {
      writing.set(false);
      thread.join();
    }

    /** The transactions committed so far (all of them, after {@link #stop()}). */
    int transactions() {
      return transactions.get();
    }
  }

  @Override
  public void close() {
    relays.forEach(OutboxRelay::stop);
    jdbc.queryForList(
        "select pg_drop_replication_slot(slot_name) from pg_replication_slots "
            + "where slot_name = ? and not active",
        properties.slotName());
  }

  private static String platformMigration(String file) {
    try {
      return new ClassPathResource("db/migration/" + file)
          .getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The relay's health indicator as the auto-configuration builds it, without background checks
   * running (its backlog reads -1): these tests look at the relay's own status.
   */
  OutboxHealthIndicators.Relay relayHealth(OutboxRelay relay) {
    return new OutboxHealthIndicators.Relay(
        relay,
        new OutboxHealthIndicators.BackgroundChecks(
            jdbc,
            properties.slotName(),
            java.util.Map.of(),
            new OutboxHealthProperties(
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(3))));
  }
}
