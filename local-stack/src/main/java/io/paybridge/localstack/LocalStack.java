package io.paybridge.localstack;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatorSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole platform on one machine with nothing installed but a JDK: embedded PostgreSQL (a
 * database per service) and Kafka in this JVM, the GoCardless simulator, and every service as a
 * process of its own from its executable jar, wired together. Runs until interrupted (Ctrl-C).
 *
 * <p>Ports can be changed with environment variables: {@code POSTGRES_PORT} (15432), {@code
 * SIMULATOR_PORT} (8089), {@code WEBHOOK_INGEST_PORT} (8082). Kafka listens where the embedded
 * broker chooses; the walkthrough prints its address.
 */
public final class LocalStack {

  private final Path root = Path.of("").toAbsolutePath();
  private final int postgresPort = port("POSTGRES_PORT", 15432);
  private final int simulatorPort = port("SIMULATOR_PORT", 8089);
  private final int webhookIngestPort = port("WEBHOOK_INGEST_PORT", 8082);
  private final List<ServiceProcess> services = new ArrayList<>();
  private EmbeddedPostgresServer postgres;
  private EmbeddedKafkaServer kafka;
  private GoCardlessSimulator simulator;
  private volatile boolean running = true;

  public static void main(String[] args) throws Exception {
    var stack = new LocalStack();
    Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
    stack.start();
    stack.watchGoCardlessTopics();
  }

  void start() throws Exception {
    step("Starting embedded PostgreSQL 17 on port " + postgresPort);
    postgres = EmbeddedPostgresServer.shared(postgresPort);
    step("Starting embedded Kafka (KRaft)");
    kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(Topics.gocardlessTopics().toArray(String[]::new));

    String webhookUrl = "http://localhost:" + webhookIngestPort + "/webhooks/gocardless";
    step("Starting the GoCardless simulator on port " + simulatorPort);
    simulator =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withPort(simulatorPort)
                .withWebhookEndpoint(webhookUrl, SimulatorSettings.DEFAULT_WEBHOOK_SECRET));

    var webhookIngest =
        new ServiceProcess(
            "webhook-ingest-service",
            root.resolve("webhook-ingest-service/target"),
            webhookIngestPort,
            serviceArguments(
                "webhook-ingest-service",
                webhookIngestPort,
                Map.of(
                    "paybridge.webhooks.gocardless.secrets",
                    SimulatorSettings.DEFAULT_WEBHOOK_SECRET)),
            root.resolve("local-stack/target/logs"));
    services.add(webhookIngest);
    step(
        "Starting webhook-ingest-service on port "
            + webhookIngestPort
            + " (log: "
            + webhookIngest.log()
            + ")");
    webhookIngest.start();
    webhookIngest.awaitReady(Duration.ofMinutes(3));

    printWalkthrough(webhookUrl);
  }

  private List<String> serviceArguments(String service, int port, Map<String, String> extra) {
    var arguments = new ArrayList<String>();
    String database = EmbeddedPostgresServer.databaseNameFor(service);
    arguments.add("--server.port=" + port);
    arguments.add("--spring.datasource.url=" + postgres.jdbcUrl(database));
    arguments.add("--spring.datasource.username=" + EmbeddedPostgresServer.USER);
    arguments.add("--spring.datasource.password=" + EmbeddedPostgresServer.PASSWORD);
    arguments.add("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers());
    // Human-readable logs on a developer's machine; services log structured JSON by default.
    arguments.add("--logging.structured.format.console=");
    extra.forEach((key, value) -> arguments.add("--" + key + "=" + value));
    return arguments;
  }

  private void printWalkthrough(String webhookUrl) {
    String sample =
        "{\"events\":[{\"id\":\"EV"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase()
            + "\",\"created_at\":\"2026-03-02T10:15:50.733Z\",\"resource_type\":\"payments\",\"action\":\"confirmed\","
            + "\"links\":{\"payment\":\"PM00ABCD1234XY\",\"organisation\":\"OR0000SIMACME1\"},"
            + "\"details\":{\"origin\":\"gocardless\",\"cause\":\"payment_confirmed\"},\"metadata\":{}}],"
            + "\"meta\":{\"webhook_id\":\"WB0000LOCAL01\"}}";
    System.out.printf(
        """

        ================================================================================
         PayBridge local stack is up
        ================================================================================
         PostgreSQL       %s   (user postgres / postgres; a database per service)
                          psql -h localhost -p %d -U postgres webhook_ingest_service
         Kafka            %s
                          kcat -b %s -C -t gocardless.payments -f '%%t %%k %%h\\n%%s\\n'
         GoCardless sim   http://localhost:%d   (state and control: http://localhost:%d/_simulator)
                          partner app %s / %s
                          access tokens: sandbox_simulator_acme (OR0000SIMACME1), sandbox_simulator_beta, sandbox_simulator_gamma
         webhook-ingest   %s
                          health  http://localhost:%d/actuator/health
                          metrics http://localhost:%d/actuator/prometheus

         Send a signed sample webhook (the secret is the simulator's, %s):

           BODY='%s'
           SIG=$(printf '%%s' "$BODY" | openssl dgst -sha256 -hmac %s | sed 's/^.* //')
           curl -i %s -H "Webhook-Signature: $SIG" -H 'Content-Type: application/json' --data-binary "$BODY"

         Every event that reaches Kafka is printed below as it arrives. Ctrl-C stops everything.
        ================================================================================

        """,
        postgres.jdbcUrl("webhook_ingest_service"),
        postgresPort,
        kafka.bootstrapServers(),
        kafka.bootstrapServers(),
        simulatorPort,
        simulatorPort,
        SimulatorSettings.DEFAULT_CLIENT_ID,
        SimulatorSettings.DEFAULT_CLIENT_SECRET,
        webhookUrl,
        webhookIngestPort,
        webhookIngestPort,
        SimulatorSettings.DEFAULT_WEBHOOK_SECRET,
        sample,
        SimulatorSettings.DEFAULT_WEBHOOK_SECRET,
        webhookUrl);
  }

  /** Prints every record published to a gocardless.* topic, so a developer sees events arrive. */
  void watchGoCardlessTopics() {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-watch-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    try (var consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(Topics.gocardlessTopics());
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          var eventType = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
          var id = record.headers().lastHeader(EventHeaders.ID);
          System.out.printf(
              "  kafka  %-28s key=%-16s %s id=%s%n",
              record.topic(),
              record.key(),
              eventType == null ? "" : new String(eventType.value(), StandardCharsets.UTF_8),
              id == null ? "" : new String(id.value(), StandardCharsets.UTF_8));
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException
        | org.apache.kafka.common.errors.WakeupException e) {
      // stopping
    }
  }

  void stop() {
    running = false;
    step("Stopping");
    for (var service : services.reversed()) {
      service.stop();
    }
    if (simulator != null) {
      simulator.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static void step(String message) {
    System.out.println("[local-stack] " + message);
  }

  private static int port(String variable, int fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }
}
