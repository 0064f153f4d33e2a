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
      jdbc.execute(platformMigration());
    }
    properties = properties(service, Duration.ofSeconds(3));
    new ReplicationSetup(jdbc, properties).ensureReplication();
    outbox = new OutboxWriter(jdbc, true);
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** Relay settings for tests: short intervals, {@code sendTimeout} as given. */
  static OutboxProperties properties(String service, Duration sendTimeout) {
    return new OutboxProperties(
            service,
            true,
            true,
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
            Duration.ofSeconds(60))
        .resolve(service);
  }

  OutboxRelay relay(String bootstrapServers) {
    return relay(properties, bootstrapServers);
  }

  OutboxRelay relay(OutboxProperties relayProperties, String bootstrapServers) {
    var relay =
        new OutboxRelay(
            relayProperties,
            new DatabaseEndpoint(
                jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD),
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new SimpleMeterRegistry());
    relays.add(relay);
    return relay;
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

  @Override
  public void close() {
    relays.forEach(OutboxRelay::stop);
    jdbc.queryForList(
        "select pg_drop_replication_slot(slot_name) from pg_replication_slots "
            + "where slot_name = ? and not active",
        properties.slotName());
  }

  private static String platformMigration() {
    try {
      return new ClassPathResource("db/migration/V0_1__platform_outbox.sql")
          .getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
