package io.paybridge.platform.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A process that runs one outbox relay and nothing else, for tests that kill it: arguments are the
 * service name, the JDBC URL of its database and the Kafka bootstrap servers.
 */
public final class RelayHostMain {

  private RelayHostMain() {}

  public static void main(String[] args) throws InterruptedException {
    var relay =
        new OutboxRelay(
            RelayFixture.properties(args[0], Duration.ofSeconds(5)),
            new DatabaseEndpoint(
                args[1], EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD),
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[2]),
            new SimpleMeterRegistry());
    relay.start();
    Thread.currentThread().join(); // until killed
  }
}
