package io.paybridge.platform.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL 17 per JVM, with logical decoding enabled ({@code wal_level=logical}) so
 * that every service's outbox relay can stream from it. Each service gets a database of its own.
 *
 * <p>Started on first use and stopped after every Spring application context of the JVM has been
 * closed, so that no relay loses its database while it is still streaming ({@link
 * AfterSpringShutdown}). The server is a process of its own: left running, it would outlive the
 * JVM.
 */
public final class EmbeddedPostgresServer {

  /** The superuser of the embedded server. */
  public static final String USER = "postgres";

  /**
   * The superuser's password. The embedded server trusts local connections and ignores it, but
   * clients such as Debezium's offset store insist on one.
   */
  public static final String PASSWORD = "postgres";

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static volatile EmbeddedPostgresServer shared;

  private final EmbeddedPostgres postgres;
  private final Set<String> databases = ConcurrentHashMap.newKeySet();

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** The JVM's server, started on first call on a free port. */
  public static EmbeddedPostgresServer shared() {
    return shared(0);
  }

  /**
   * The JVM's server, started on first call on {@code port} (0 for any free port). Later calls
   * return the running server whatever port they ask for.
   */
  public static synchronized EmbeddedPostgresServer shared(int port) {
    if (shared == null) {
      shared = start(port);
      AfterSpringShutdown.register("embedded-postgres-stop", shared::close);
    }
    return shared;
  }

  /**
   * A server of its own on {@code port} (0 for any free port), which the caller stops with {@link
   * #close()} (the local stack, which stops it after the services that use it).
   */
  public static EmbeddedPostgresServer start(int port) {
    try {
      var builder = builder();
      if (port > 0) {
        builder.setPort(port);
      }
      return new EmbeddedPostgresServer(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
    }
  }

  /**
   * The settings of every embedded server of the project: logical decoding, room for every
   * service's relay (slots, senders, connections), the WAL a slot may hold and how long a silent
   * replication client keeps its session. The benchmark and the fault harness start their servers
   * from it and change what they need (durability, a data directory kept across restarts); a later
   * {@code setServerConfig} of a name replaces its value.
   */
  public static EmbeddedPostgres.Builder builder() {
    return EmbeddedPostgres.builder()
        .setRegisterShutdownHook(false)
        .setServerConfig("wal_level", "logical")
        .setServerConfig("max_replication_slots", "32")
        .setServerConfig("max_wal_senders", "32")
        .setServerConfig("max_connections", "300")
        .setServerConfig("shared_buffers", "128MB")
        // Relays hold replication slots; a slot left by a crashed relay must not keep WAL forever.
        .setServerConfig("max_slot_wal_keep_size", "1GB")
        .setServerConfig("wal_sender_timeout", "10s");
  }

  /**
   * Has {@code builder}'s server write its own log to {@code directory}{@code /postgresql.log}
   * (appended to at each start), with the replication commands: why a session or a replication
   * connection ended, which its clients' logs see only from their side. For the servers the
   * benchmarks and the fault harness start.
   */
  public static EmbeddedPostgres.Builder withServerLog(
      EmbeddedPostgres.Builder builder, Path directory) {
    return builder
        .setServerConfig("logging_collector", "on")
        .setServerConfig("log_directory", directory.toAbsolutePath().toString())
        .setServerConfig("log_filename", "postgresql.log")
        .setServerConfig("log_replication_commands", "on");
  }

  public int port() {
    return postgres.getPort();
  }

  /** The JDBC URL of {@code database}, which is created on first use. */
  public String jdbcUrl(String database) {
    ensureDatabase(database);
    return postgres.getJdbcUrl(USER, database);
  }

  /** A (non-pooled) data source for {@code database}, which is created on first use. */
  public DataSource dataSource(String database) {
    ensureDatabase(database);
    return postgres.getDatabase(USER, database);
  }

  /**
   * The PostgreSQL database name for a service name: {@code webhook-ingest-service} → {@code
   * webhook_ingest_service}.
   */
  public static String databaseNameFor(String serviceName) {
    return serviceName.toLowerCase().replace('-', '_').replace('.', '_');
  }

  private void ensureDatabase(String database) {
    if (databases.contains(database)) {
      return;
    }
    synchronized (databases) {
      if (databases.contains(database)) {
        return;
      }
      try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
        createDatabaseIfMissing(connection, database);
      } catch (SQLException e) {
        throw new IllegalStateException("Could not create database " + database, e);
      }
      databases.add(database);
    }
  }

  /**
   * Creates {@code database} (a plain name) on the server {@code connection} is connected to,
   * unless it exists: for this server's databases and those of the servers the benchmarks and the
   * fault harness start.
   */
  public static void createDatabaseIfMissing(Connection connection, String database)
      throws SQLException {
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("Not a plain database name: " + database);
    }
    try (var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      exists.setString(1, database);
      try (var rows = exists.executeQuery()) {
        if (!rows.next()) {
          try (var create = connection.createStatement()) {
            create.execute("create database " + database);
          }
        }
      }
    }
  }

  /** Stops the server (zonky's close does nothing when run again). */
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
