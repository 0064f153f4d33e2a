package io.paybridge.platform.testsupport;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The test infrastructure on Docker instead of in the JVM, for machines with a Docker engine:
 * PostgreSQL 17 with logical WAL (the same server settings as {@link EmbeddedPostgresServer}) and a
 * KRaft Kafka broker, one of each per JVM. Chosen by {@code
 * -Dpaybridge.test.infrastructure=testcontainers} (or the environment variable {@code
 * PAYBRIDGE_TEST_INFRASTRUCTURE}); the embedded servers stay the default and are what CI runs. Only
 * {@link EmbeddedInfrastructureInitializer} (so {@code @IntegrationTest}) follows the choice; code
 * that asks {@link EmbeddedPostgresServer} or {@link EmbeddedKafkaServer} directly stays embedded.
 * Not exercised on machines without Docker.
 */
public final class ContainerInfrastructure {

  /** The property (and, upper-cased with underscores, environment variable) that chooses. */
  public static final String PROPERTY = "paybridge.test.infrastructure";

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static volatile ContainerInfrastructure shared;

  private final PostgreSQLContainer postgres;
  private final KafkaContainer kafka;
  private final Set<String> databases = ConcurrentHashMap.newKeySet();

  private ContainerInfrastructure(PostgreSQLContainer postgres, KafkaContainer kafka) {
    this.postgres = postgres;
    this.kafka = kafka;
  }

  /** Whether the tests of this JVM run on containers rather than on the embedded servers. */
  public static boolean selected() {
    String value = System.getProperty(PROPERTY, System.getenv("PAYBRIDGE_TEST_INFRASTRUCTURE"));
    return "testcontainers".equalsIgnoreCase(value == null ? "" : value.trim());
  }

  /** The JVM's containers, started on first call and stopped with the last application context. */
  public static synchronized ContainerInfrastructure shared() {
    if (shared == null) {
      var postgres =
          new PostgreSQLContainer("postgres:17")
              .withUsername(EmbeddedPostgresServer.USER)
              .withPassword(EmbeddedPostgresServer.PASSWORD)
              .withCommand(
                  "postgres",
                  "-c",
                  "wal_level=logical",
                  "-c",
                  "max_replication_slots=32",
                  "-c",
                  "max_wal_senders=32",
                  "-c",
                  "max_connections=300",
                  "-c",
                  "max_slot_wal_keep_size=1GB",
                  "-c",
                  "wal_sender_timeout=10s");
      var kafka =
          new KafkaContainer("apache/kafka:4.1.0")
              .withEnv(
                  "KAFKA_NUM_PARTITIONS", String.valueOf(EmbeddedKafkaServer.DEFAULT_PARTITIONS))
              .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
              .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
      postgres.start();
      kafka.start();
      shared = new ContainerInfrastructure(postgres, kafka);
      SpringApplication.getShutdownHandlers()
          .add(
              () -> {
                kafka.stop();
                postgres.stop();
              });
    }
    return shared;
  }

  /** The JDBC URL of {@code database}, which is created on first use. */
  public String jdbcUrl(String database) {
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("Not a plain database name: " + database);
    }
    if (databases.add(database)) {
      try (var connection =
          DriverManager.getConnection(
              postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword())) {
        EmbeddedPostgresServer.createDatabaseIfMissing(connection, database);
      } catch (SQLException e) {
        databases.remove(database);
        throw new IllegalStateException("Could not create database " + database, e);
      }
    }
    return postgres.getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
  }

  /** {@code host:port} of the broker. */
  public String bootstrapServers() {
    return kafka.getBootstrapServers();
  }
}
