package io.paybridge.platform.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;

/**
 * One embedded PostgreSQL 17 per JVM, with logical decoding enabled ({@code wal_level=logical}) so
 * that every service's outbox relay can stream from it. Each service gets a database of its own.
 *
 * <p>Started on first use and stopped after every Spring application context of the JVM has been
 * closed, so that no relay loses its database while it is still streaming; in a JVM that ran no
 * Spring application (tests of the relay on its own), when the JVM ends. The server is a process of
 * its own: left running, it would outlive the JVM.
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

  /** The name of Spring Boot's shutdown hook thread ({@code SpringApplicationShutdownHook}). */
  private static final String SPRING_SHUTDOWN_HOOK = "SpringApplicationShutdownHook";

  private final EmbeddedPostgres postgres;
  private final Set<String> databases = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

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
      var server = start(port);
      shared = server;
      SpringApplication.getShutdownHandlers().add(server::close);
      Runtime.getRuntime()
          .addShutdownHook(
              Thread.ofPlatform()
                  .name("embedded-postgres-stop")
                  .unstarted(() -> closeAfterSpring(server)));
    }
    return shared;
  }

  /**
   * Spring Boot runs its shutdown handlers only in a JVM where a Spring application registered its
   * shutdown hook. JVM shutdown hooks run at once, in no order: this one lets Spring's, if there is
   * one, close the application contexts and then the server, and closes the server itself when
   * there is none (or it has not done so).
   */
  private static void closeAfterSpring(EmbeddedPostgresServer server) {
    try {
      // The JVM starts its hooks one after another: give Spring's time to be started.
      Thread.sleep(100);
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.getName().equals(SPRING_SHUTDOWN_HOOK)) {
          thread.join(Duration.ofSeconds(60));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
  }

  /**
   * A server of its own on {@code port} (0 for any free port), which the caller stops with {@link
   * #close()} (the local stack, which stops it after the services that use it).
   */
  public static EmbeddedPostgresServer start(int port) {
    try {
      var builder =
          EmbeddedPostgres.builder()
              .setRegisterShutdownHook(false)
              .setServerConfig("wal_level", "logical")
              .setServerConfig("max_replication_slots", "32")
              .setServerConfig("max_wal_senders", "32")
              .setServerConfig("max_connections", "300")
              .setServerConfig("shared_buffers", "128MB")
              // Relays hold replication slots; a slot left by a crashed relay must not keep WAL
              // forever.
              .setServerConfig("max_slot_wal_keep_size", "1GB")
              .setServerConfig("wal_sender_timeout", "10s");
      if (port > 0) {
        builder.setPort(port);
      }
      return new EmbeddedPostgresServer(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
    }
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
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("Not a plain database name: " + database);
    }
    if (databases.contains(database)) {
      return;
    }
    synchronized (databases) {
      if (databases.contains(database)) {
        return;
      }
      try (Connection connection = postgres.getPostgresDatabase().getConnection();
          var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
        exists.setString(1, database);
        try (var rows = exists.executeQuery()) {
          if (!rows.next()) {
            try (var create = connection.createStatement()) {
              create.execute("create database " + database);
            }
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("Could not create database " + database, e);
      }
      databases.add(database);
    }
  }

  /** Stops the server (once; later calls do nothing). */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
