package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The relay's replication connection is Debezium's, built from settings rather than from the
 * service's JDBC URL: the TLS the URL asks for (the production overlay's {@code
 * sslmode=verify-full} with the database's CA) must reach it, or the replication stream would be
 * unverified while the pool's connections are verified.
 */
class RelayTlsTest {

  private static final OutboxProperties PROPERTIES =
      new Binder(
              new MapConfigurationPropertySource(
                  Map.of("paybridge.outbox.service-name", "billing-service")))
          .bind("paybridge.outbox", OutboxProperties.class)
          .get()
          .resolve(null);

  @Test
  void theJdbcUrlsTlsSettingsReachDebeziumsReplicationConnection() {
    var endpoint =
        new DatabaseEndpoint(
            "jdbc:postgresql://postgres.paybridge-data.svc:5432/billing_service"
                + "?sslmode=verify-full&sslrootcert=/etc/paybridge/tls/postgres-ca.crt",
            "billing",
            "secret");
    var config =
        new OutboxRelay(PROPERTIES, endpoint, Map.of(), new SimpleMeterRegistry()).debeziumConfig();

    assertThat(config.getProperty("database.sslmode")).isEqualTo("verify-full");
    assertThat(config.getProperty("database.sslrootcert"))
        .isEqualTo("/etc/paybridge/tls/postgres-ca.crt");
    assertThat(config.getProperty("database.hostname")).isEqualTo("postgres.paybridge-data.svc");
    assertThat(config.getProperty("database.dbname")).isEqualTo("billing_service");
  }

  @Test
  void aUrlWithoutTlsSettingsLeavesDebeziumsDefault() {
    var endpoint =
        new DatabaseEndpoint("jdbc:postgresql://localhost:5432/billing_service", "billing", null);
    var config =
        new OutboxRelay(PROPERTIES, endpoint, Map.of(), new SimpleMeterRegistry()).debeziumConfig();

    assertThat(config.stringPropertyNames()).noneMatch(name -> name.startsWith("database.ssl"));
  }
}
