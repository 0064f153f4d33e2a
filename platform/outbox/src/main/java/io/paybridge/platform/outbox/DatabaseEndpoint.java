package io.paybridge.platform.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Where the service's PostgreSQL database is, for the relay's own connections (its leader lock, and
 * Debezium's replication and offset connections), which must not come from the application's pool.
 */
public record DatabaseEndpoint(String jdbcUrl, String username, String password) {

  public DatabaseEndpoint {
    if (Driver.parseURL(jdbcUrl, null) == null) {
      throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
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

  Connection open() throws SQLException {
    var properties = new Properties();
    properties.setProperty("user", username);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", "outbox-relay-leader-lock");
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
