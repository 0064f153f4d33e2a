package io.paybridge.platform.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Where the service's PostgreSQL database is, for the relay's own connections (its leader lock, and
 * Debezium's replication and offset connections), which must not come from the application's pool.
 *
 * @param deadConnectionTimeout how long PostgreSQL may take to notice that the relay's host
 *     vanished: the relay's sessions carry server-side TCP keepalives, {@code tcp_user_timeout} or
 *     {@code wal_sender_timeout} derived from it ({@link #serverOptions()}, {@link
 *     #replicationServerOptions()}), so that a dead leader's advisory lock and replication slot are
 *     freed within about this long instead of the operating system's defaults (two hours of
 *     keepalive idle time on Linux)
 */
public record DatabaseEndpoint(
    String jdbcUrl, String username, String password, Duration deadConnectionTimeout) {

  /** The default of {@link OutboxProperties#deadConnectionTimeout()}. */
  static final Duration DEFAULT_DEAD_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

  public DatabaseEndpoint {
    if (Driver.parseURL(jdbcUrl, null) == null) {
      throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    if (deadConnectionTimeout == null) {
      deadConnectionTimeout = DEFAULT_DEAD_CONNECTION_TIMEOUT;
    }
    if (deadConnectionTimeout.toSeconds() < 3) {
      throw new IllegalArgumentException(
          "dead-connection-timeout must be at least 3 s, not " + deadConnectionTimeout);
    }
  }

  public DatabaseEndpoint(String jdbcUrl, String username, String password) {
    this(jdbcUrl, username, password, DEFAULT_DEAD_CONNECTION_TIMEOUT);
  }

  String host() {
    return parsed().getProperty("PGHOST").split(",")[0];
  }

  String port() {
    return parsed().getProperty("PGPORT").split(",")[0];
  }

  String database() {
    return parsed().getProperty("PGDBNAME");
  }

  /**
   * The TLS settings of the JDBC URL ({@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code
   * sslkey}, {@code sslpassword}) by their names, which are also Debezium's ({@code
   * database.sslmode}...); empty when the URL sets none.
   */
  Map<String, String> tlsSettings() {
    Properties url = parsed();
    Map<String, String> tls = new LinkedHashMap<>();
    for (String name : TLS_SETTINGS) {
      String value = url.getProperty(name);
      if (value != null) {
        tls.put(name, value);
      }
    }
    return tls;
  }

  private static final List<String> TLS_SETTINGS =
      List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword");

  /**
   * Session settings ({@code options} of the connection) of the relay's own sessions ({@link
   * #open}) that bound how long the server keeps the session of a relay whose host vanished without
   * closing its TCP connections: keepalive probes after a third of the timeout, then four probes a
   * sixth of it apart (an idle session, such as the leader lock's); {@code tcp_user_timeout} for
   * data left unacknowledged (a session that was sending). Settable per session since PostgreSQL
   * 12. Debezium's replication session: {@link #replicationServerOptions()}.
   */
  String serverOptions() {
    return keepalives() + " -c tcp_user_timeout=" + deadConnectionTimeout.toMillis();
  }

  /**
   * The session settings of Debezium's replication session: the same keepalives, and {@code
   * wal_sender_timeout} instead of {@code tcp_user_timeout} (its walsender otherwise holds the slot
   * for the server's default, 60 s). There the server does the sending, and the relay stops reading
   * whenever Kafka does not take its batches (its queue full: a broker outage, a slow broker); with
   * {@code tcp_user_timeout} the kernel ended live sessions with {@code ETIMEDOUT} (PostgreSQL's
   * log: {@code could not receive data from client: Connection timed out}), once at the start of a
   * saturation phase of the benchmark while the relay was keeping up, and the relay streamed again
   * only after its connector's restart. A relay that stops answering still loses the session within
   * the timeout: the walsender gives up on a client that has not replied for {@code
   * wal_sender_timeout} ({@code RelayHousekeepingIT}), and the keepalives cover an idle session.
   */
  String replicationServerOptions() {
    return keepalives() + " -c wal_sender_timeout=" + deadConnectionTimeout.toMillis();
  }

  private String keepalives() {
    long seconds = deadConnectionTimeout.toSeconds();
    return "-c tcp_keepalives_idle="
        + Math.max(1, seconds / 3)
        + " -c tcp_keepalives_interval="
        + Math.max(1, seconds / 6)
        + " -c tcp_keepalives_count=4";
  }

  /**
   * A connection of the relay's own (leader lock, slot checks, parking): client-side keepalives, a
   * socket timeout so that no call hangs on a vanished server, and the server-side settings of
   * {@link #serverOptions()}. {@code options} in the JDBC URL itself would replace those.
   */
  Connection open() throws SQLException {
    var properties = new Properties();
    properties.setProperty("user", username);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", "outbox-relay-leader-lock");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("socketTimeout", String.valueOf(deadConnectionTimeout.toSeconds()));
    properties.setProperty("connectTimeout", String.valueOf(deadConnectionTimeout.toSeconds()));
    properties.setProperty("options", serverOptions());
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  private Properties parsed() {
    return Driver.parseURL(jdbcUrl, null);
  }

  @Override
  public String toString() {
    return "DatabaseEndpoint[" + jdbcUrl + ", user=" + username + "]";
  }
}
