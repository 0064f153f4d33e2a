package io.paybridge.platform.testsupport;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a Spring application at the JVM's embedded PostgreSQL and Kafka broker: the database is
 * named after {@code spring.application.name} (or {@code paybridge.test.database} when set) and
 * created on first use. With {@code -Dpaybridge.test.infrastructure=testcontainers}, at the same
 * infrastructure on Docker instead ({@link ContainerInfrastructure}).
 */
public class EmbeddedInfrastructureInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    var environment = context.getEnvironment();
    String database =
        environment.getProperty(
            "paybridge.test.database",
            EmbeddedPostgresServer.databaseNameFor(
                environment.getProperty("spring.application.name", "paybridge")));
    if (ContainerInfrastructure.selected()) {
      var containers = ContainerInfrastructure.shared();
      TestPropertyValues.of(
              "spring.datasource.url=" + containers.jdbcUrl(database),
              "spring.datasource.username=" + EmbeddedPostgresServer.USER,
              "spring.datasource.password=" + EmbeddedPostgresServer.PASSWORD,
              "spring.kafka.bootstrap-servers=" + containers.bootstrapServers())
          .applyTo(context);
      return;
    }
    var postgres = EmbeddedPostgresServer.shared();
    var kafka = EmbeddedKafkaServer.shared();
    TestPropertyValues.of(
            "spring.datasource.url=" + postgres.jdbcUrl(database),
            "spring.datasource.username=" + EmbeddedPostgresServer.USER,
            "spring.datasource.password=" + EmbeddedPostgresServer.PASSWORD,
            "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers())
        .applyTo(context);
  }
}
