package io.paybridge.bench;

import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The PostgreSQL the benchmark runs against.
 *
 * <ul>
 *   <li>{@code embedded}: the tests' {@link EmbeddedPostgresServer}, as is. Its embedded server is
 *       started with {@code -F} (fsync off) and {@code synchronous_commit=off}: nothing ever waits
 *       for the disk, and a 204 is not durable.
 *   <li>{@code production}: an embedded PostgreSQL 17 of the benchmark's own with the same settings
 *       as {@link EmbeddedPostgresServer} (logical WAL, slots, senders, connections, buffers; the
 *       WAL a slot may hold is larger) but production durability: {@code fsync=on}, {@code
 *       synchronous_commit=on}, so a commit — and the service's 204 — waits for its WAL to be
 *       flushed. The test server cannot be switched: {@code -F} is on its command line, above
 *       anything {@code ALTER SYSTEM} sets.
 * </ul>
 */
final class BenchPostgres implements AutoCloseable {

  private final EmbeddedPostgres own;
  private final EmbeddedPostgresServer shared;
  private final Set<String> databases = new HashSet<>();

  private BenchPostgres(EmbeddedPostgres own, EmbeddedPostgresServer shared) {
    this.own = own;
    this.shared = shared;
  }

  static BenchPostgres start(String durability) {
    return start(durability, java.util.Map.of());
  }

  /**
   * As {@link #start(String)}, with {@code settings} set on the server after the defaults (a
   * variant of the server's sizing, e.g. {@code shared_buffers}); not with {@code embedded}, the
   * tests' shared server.
   */
  static BenchPostgres start(String durability, java.util.Map<String, String> settings) {
    if (durability.equals("embedded")) {
      if (!settings.isEmpty()) {
        throw new IllegalArgumentException("postgresSettings need a server of the benchmark's own");
      }
      return new BenchPostgres(null, EmbeddedPostgresServer.shared());
    }
    try {
      var builder =
          EmbeddedPostgresServer.builder()
              .setRegisterShutdownHook(true)
              // Not the tests' 1GB: the batch phases write about 1.6 GB of WAL in 30 s, and a
              // logical slot's restart_lsn moves only at the running-transactions records
              // PostgreSQL logs every 15 s or so, so it can lag 1 GB behind; PostgreSQL then
              // invalidates the slot and the relay stops (run of 17:05, docs/benchmarks.md).
              // 10GB as docker-compose.yml.
              .setServerConfig("max_slot_wal_keep_size", "10GB")
              // production durability; -c fsync=on comes after zonky's -F and wins
              .setServerConfig("fsync", durability.equals("production") ? "on" : "off")
              .setServerConfig("synchronous_commit", "on")
              // The server's own log (bench/target/logs/postgresql.log), with its checkpoints:
              // what the report cannot say.
              .setServerConfig("log_checkpoints", "on");
      EmbeddedPostgresServer.withServerLog(builder, Path.of("bench/target/logs"));
      settings.forEach(builder::setServerConfig);
      return new BenchPostgres(builder.start(), null);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
    }
  }

  /** The JDBC URL of {@code database}, created on first use. */
  String jdbcUrl(String database) {
    if (shared != null) {
      return shared.jdbcUrl(database);
    }
    ensureDatabase(database);
    return own.getJdbcUrl(EmbeddedPostgresServer.USER, database);
  }

  private synchronized void ensureDatabase(String database) {
    if (databases.contains(database)) {
      return;
    }
    try (var connection = own.getPostgresDatabase().getConnection()) {
      EmbeddedPostgresServer.createDatabaseIfMissing(connection, database);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create database " + database, e);
    }
    databases.add(database);
  }

  @Override
  public void close() throws IOException {
    if (own != null) {
      own.close();
    } else {
      shared.close();
    }
  }
}
