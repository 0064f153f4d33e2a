package io.paybridge.localstack;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.AotCache;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.EmbeddedRedisServer;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatorSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The whole platform on one machine with nothing installed but a JDK: embedded PostgreSQL (a
 * database per service) and Kafka, the OIDC issuer, Redis, the GoCardless simulator and the
 * notification sandbox, then every service as a process of its own from its executable jar, all
 * started at once. Runs until Ctrl-C or SIGTERM, then stops every process it started.
 *
 * <p>Ports can be changed with environment variables: {@code POSTGRES_PORT} (15432), {@code
 * SIMULATOR_PORT} (8089), {@code OIDC_ISSUER_PORT} (8180), {@code WEBHOOK_INGEST_PORT} (8082),
 * {@code OAUTH_PORT} (8081), {@code GATEWAY_PORT} (8080), {@code REDIS_PORT} (16379), {@code
 * BILLING_PORT} (8083), {@code NOTIFICATION_PORT} (8084) and {@code SAMPLE_RECEIVER_PORT} (8085),
 * and the management (actuator) ports {@code WEBHOOK_INGEST_MANAGEMENT_PORT} (9082), {@code
 * OAUTH_MANAGEMENT_PORT} (9081), {@code BILLING_MANAGEMENT_PORT} (9083), {@code
 * NOTIFICATION_MANAGEMENT_PORT} (9084), {@code GATEWAY_MANAGEMENT_PORT} (9080). Kafka listens where
 * the embedded broker chooses; the walkthrough prints its address. The services log to {@code
 * LOCAL_STACK_LOG_DIRECTORY} ({@code local-stack/target/logs}). Secrets (state signing and token
 * encryption keys) are generated at each start.
 */
public final class LocalStack {

  private static final String ISSUER_ID = "paybridge";
  private static final String OAUTH_AUDIENCE = "oauth-service";

  /** The audience of team tokens: the platform's API, behind the gateway. */
  private static final String API_AUDIENCE = "paybridge-api";

  private static final String TEAM_SCOPES =
      "merchants:read merchants:write payments:read payments:write notifications:read"
          + " notifications:write";
  private static final String TOKEN_SCOPE = "merchant-tokens:read";
  private static final String OPERATIONS_SCOPE = "operations:read";
  private static final String OPERATOR_SCOPES = "operations:read operations:write";

  /**
   * The services' JVM options: the development ones, and the serial collector, whose single thread
   * costs five JVMs starting at once on two cores less than G1's concurrent ones.
   */
  private static final List<String> JVM_OPTIONS =
      Stream.concat(ServiceProcess.DEVELOPMENT_JVM_OPTIONS.stream(), Stream.of("-XX:+UseSerialGC"))
          .toList();

  /** The services with a database of their own. */
  private static final List<String> DATABASE_SERVICES =
      List.of("webhook-ingest-service", "oauth-service", "billing-service", "notification-service");

  /** The services that read merchants' GoCardless tokens from oauth-service, each as itself. */
  private static final List<String> TOKEN_CLIENTS =
      List.of("billing-service", "webhook-ingest-service");

  /**
   * Recovery of missed events passes over every connected organisation this often, reading events
   * older than {@link #RECOVERY_SETTLE}: short, so that a demo sees runs seconds after a connection
   * (the service's defaults are 5 minutes and 1 minute).
   */
  private static final String RECOVERY_INTERVAL = "10s";

  private static final String RECOVERY_SETTLE = "5s";

  /** The repository: where each service's jar is built ({@code <service>/target}). */
  private final Path root =
      Path.of(System.getProperty("paybridge.root", Path.of("").toAbsolutePath().toString()));

  private final Path logDirectory =
      Path.of(env("LOCAL_STACK_LOG_DIRECTORY", root.resolve("local-stack/target/logs").toString()));
  private final int postgresPort = port("POSTGRES_PORT", 15432);
  private final int simulatorPort = port("SIMULATOR_PORT", 8089);
  private final int webhookIngestPort = port("WEBHOOK_INGEST_PORT", 8082);
  private final int oauthPort = port("OAUTH_PORT", 8081);
  private final int gatewayPort = port("GATEWAY_PORT", 8080);
  private final int gatewayManagementPort = port("GATEWAY_MANAGEMENT_PORT", 9080);
  private final int redisPort = port("REDIS_PORT", 16379);
  private final int notificationPort = port("NOTIFICATION_PORT", 8084);
  private final int webhookIngestManagementPort = port("WEBHOOK_INGEST_MANAGEMENT_PORT", 9082);
  private final int oauthManagementPort = port("OAUTH_MANAGEMENT_PORT", 9081);
  private final int issuerPort = port("OIDC_ISSUER_PORT", 8180);
  // webhook-ingest-service checks operator tokens of its own; a fresh one per run, for the gateway.
  private final String ingestOperatorToken = "local-gateway-" + java.util.UUID.randomUUID();
  private final int billingPort = port("BILLING_PORT", 8083);
  private final int billingManagementPort = port("BILLING_MANAGEMENT_PORT", 9083);
  private final int notificationManagementPort = port("NOTIFICATION_MANAGEMENT_PORT", 9084);
  private final int sampleReceiverPort = port("SAMPLE_RECEIVER_PORT", 8085);
  private final long startedAt = System.nanoTime();
  private NotificationSandbox notificationSandbox;
  private final List<ServiceProcess> services = new ArrayList<>();
  private EmbeddedPostgresServer postgres;
  private EmbeddedKafkaServer kafka;
  private GoCardlessSimulator simulator;
  private MockOAuth2Server issuer;
  private EmbeddedRedisServer redis;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, String> watcher;

  /** AOT caches written at once: two, on two cores. */
  private final Semaphore aotWrites = new Semaphore(2);

  private boolean stopped;

  /**
   * Runs the stack until Ctrl-C (SIGINT) or SIGTERM, then stops every process it started and exits
   * with status 0: a requested stop is not a failure.
   */
  public static void main(String[] args) {
    // Logging set up before the parallel start, whose threads would otherwise race to initialise
    // it.
    LoggerFactory.getLogger(LocalStack.class);
    var stack = new LocalStack();
    for (String signal : List.of("INT", "TERM")) {
      Signal.handle(new Signal(signal), received -> stack.requestStop(received.getName()));
    }
    // Any other end of the JVM (System.exit elsewhere, SIGHUP) still stops the child processes.
    Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
    boolean failed = false;
    try {
      stack.start();
      stack.printWalkthrough();
      stack.watchTopics();
    } catch (StopRequested e) {
      // stopped while starting
    } catch (Exception e) {
      System.out.println("[local-stack] Could not start: " + e.getMessage());
      failed = true;
    } finally {
      stack.stop();
    }
    if (failed) {
      System.exit(1);
    }
  }

  /** Thrown out of {@link #start()} when a stop is requested before every service is ready. */
  static final class StopRequested extends RuntimeException {
    StopRequested() {
      super("stop requested", null, false, false);
    }
  }

  private void requestStop(String signal) {
    if (!running) {
      // A second Ctrl-C while stopping: the user wants it gone now.
      System.out.println("[local-stack] SIG" + signal + " again: exiting without waiting");
      Runtime.getRuntime().halt(1);
    }
    System.out.println("[local-stack] SIG" + signal + " received");
    running = false;
    var consumer = watcher;
    if (consumer != null) {
      consumer.wakeup();
    }
  }

  private void checkRunning() {
    if (!running) {
      throw new StopRequested();
    }
  }

  void start() throws Exception {
    Files.createDirectories(logDirectory);
    // PostgreSQL (initdb) and Kafka take the longest and need nothing from each other.
    Future<EmbeddedPostgresServer> startingPostgres;
    Future<EmbeddedKafkaServer> startingKafka;
    try (var starter =
        Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("local-stack-start-", 0).factory())) {
      step(
          "Starting embedded PostgreSQL 17 on port "
              + postgresPort
              + " and embedded Kafka (KRaft)");
      startingPostgres =
          starter.submit(
              () -> {
                var server = EmbeddedPostgresServer.start(postgresPort);
                // The services' databases now, while Kafka is still starting.
                for (String service : DATABASE_SERVICES) {
                  server.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(service));
                }
                step(String.format("PostgreSQL ready (%.1f s)", elapsed()));
                return server;
              });
      startingKafka =
          starter.submit(
              () -> {
                var broker = EmbeddedKafkaServer.start();
                broker.createTopics(watchedTopics().toArray(String[]::new));
                step(String.format("Kafka ready (%.1f s)", elapsed()));
                return broker;
              });

      step("Starting the development OIDC issuer on port " + issuerPort);
      issuer = new MockOAuth2Server(serviceClientCredentials());
      issuer.start(issuerPort);
      // Its first answer (the issuer's key made, its HTTP path cold) took seconds, and every
      // service waits for the issuer's keys before it is ready: made now, while PostgreSQL and
      // Kafka start.
      starter.submit(this::warmUpIssuer);

      step("Starting Redis (the gateway's rate limits) on port " + redisPort);
      redis = EmbeddedRedisServer.start(redisPort);

      step("Starting the GoCardless simulator on port " + simulatorPort);
      simulator =
          GoCardlessSimulator.start(
              SimulatorSettings.defaults()
                  .withPort(simulatorPort)
                  .withRedirectUris(List.of(gatewayUrl() + "/oauth/callback"))
                  .withWebhookEndpoint(
                      gatewayUrl() + "/webhooks/gocardless",
                      SimulatorSettings.DEFAULT_WEBHOOK_SECRET));
      notificationSandbox = NotificationSandbox.start(sampleReceiverPort);

      postgres = result(startingPostgres);
      kafka = result(startingKafka);
    }
    checkRunning();

    // Every service at once: none needs another to start (each calls the others only when asked).
    services.add(webhookIngestService());
    services.add(oauthService());
    services.add(billingService());
    services.add(notificationService());
    services.add(gatewayService());
    var aotCache = aotCache();
    try (var starting = Executors.newVirtualThreadPerTaskExecutor()) {
      var started = new ArrayList<Future<?>>();
      for (var service : services) {
        service.withJvmOptions(jvmOptions());
        if (aotCache != null) {
          service.withAotCache(aotCache);
        }
        started.add(
            starting.submit(
                () -> {
                  service.start();
                  step(
                      "Started "
                          + service.name()
                          + " on port "
                          + service.port()
                          + ", management port "
                          + service.managementPort()
                          + switch (service.aotCacheMode()) {
                            case USING -> ", from its AOT cache";
                            case RECORDING ->
                                ", without an AOT cache (none for this build yet: recording one)";
                            case NONE -> aotCache == null ? "" : ", without an AOT cache";
                          }
                          + " (log: "
                          + service.log()
                          + ")");
                  return null;
                }));
      }
      for (var future : started) {
        result(future);
      }
    }
    awaitEveryService();
    step(
        String.format(
            "Every service ready %.1f s after the start of local-stack's JVM (%.1f s after"
                + " this class started)",
            (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime())
                / 1000.0,
            (System.nanoTime() - startedAt) / 1e9));
  }

  /**
   * What the stack does with a service as soon as it is ready, while others may still be starting:
   * team-a subscribes the sandbox's receiver and mailbox to every fact of notification-service.
   */
  private void whenReady(ServiceProcess service) throws Exception {
    if (!service.name().equals("notification-service")) {
      return;
    }
    notificationSandbox.subscribe(
        "http://localhost:" + notificationPort,
        issuer
            .issueToken(
                ISSUER_ID,
                "developer@team-a",
                "notification-service",
                Map.of("team", "team-a", "scope", "notifications:read notifications:write"),
                12 * 3600)
            .serialize(),
        "team-a");
  }

  /** Waits for every service's readiness at once; the first that fails or stops ends the wait. */
  private void awaitEveryService() throws Exception {
    // Five JVMs starting at once on a small, busy machine can each take minutes.
    var timeout = Duration.ofMinutes(6);
    try (var waiting = Executors.newVirtualThreadPerTaskExecutor()) {
      var ready = new ArrayList<Future<?>>();
      for (var service : services) {
        ready.add(
            waiting.submit(
                () -> {
                  service.awaitReadyQuietly(timeout);
                  step(String.format("%s ready (%.1f s)", service.name(), elapsed()));
                  writeAotCache(service);
                  whenReady(service);
                  return null;
                }));
      }
      for (var future : ready) {
        while (true) {
          checkRunning();
          try {
            future.get(200, TimeUnit.MILLISECONDS);
            break;
          } catch (TimeoutException e) {
            // still starting
          } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
          }
        }
      }
    }
  }

  /**
   * Has a service that recorded its AOT cache write it now that it is ready (what its start loaded
   * is what the cache holds), and waits for it: the JVM stops answering while it writes its
   * recording (seconds), so this is done before the service counts as ready, never after the stack
   * says every service is. At most {@link #aotWrites} at once, the rest of the machine still
   * starting the other services; the stop then need not write (five JVMs writing ~100 MB caches at
   * once as they stopped made a stop last minutes).
   */
  private void writeAotCache(ServiceProcess service) throws Exception {
    if (!service.recordsAotCache()) {
      return;
    }
    aotWrites.acquire();
    try {
      checkRunning();
      service.writeRecordedAotCache(Duration.ofMinutes(3)).ifPresent(LocalStack::step);
    } finally {
      aotWrites.release();
    }
  }

  /**
   * The services' JVM options: {@code LOCAL_STACK_JVM_OPTIONS} (separated by spaces), or else
   * {@link #JVM_OPTIONS}.
   */
  private static List<String> jvmOptions() {
    String options = env("LOCAL_STACK_JVM_OPTIONS", "");
    return options.isEmpty() ? JVM_OPTIONS : List.of(options.split("\\s+"));
  }

  /** Asks the issuer for what each service asks it at start: its metadata and keys. */
  private void warmUpIssuer() {
    try (var http = HttpClient.newHttpClient()) {
      for (String path : List.of("/.well-known/openid-configuration", "/jwks")) {
        http.send(
            HttpRequest.newBuilder(URI.create(issuerUri() + path)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
    } catch (IOException e) {
      step("The OIDC issuer did not answer yet: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Seconds since this class started. */
  private double elapsed() {
    return (System.nanoTime() - startedAt) / 1e9;
  }

  private static <T> T result(Future<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * JDK 25's AOT cache of each service under {@code local-stack/target/aot} (off with {@code
   * LOCAL_STACK_AOT_CACHE=off}): recorded at the first run of a service's build, used after.
   */
  private AotCache aotCache() {
    if ("off".equalsIgnoreCase(env("LOCAL_STACK_AOT_CACHE", "on"))) {
      return null;
    }
    return new AotCache(root.resolve("local-stack/target/aot"));
  }

  private String gatewayUrl() {
    return "http://localhost:" + gatewayPort;
  }

  private ServiceProcess webhookIngestService() {
    return service(
        "webhook-ingest-service",
        webhookIngestPort,
        webhookIngestManagementPort,
        Map.ofEntries(
            Map.entry(
                "paybridge.webhooks.gocardless.secrets", SimulatorSettings.DEFAULT_WEBHOOK_SECRET),
            // The gateway's operator token here (it joins the operator reads for the console and
            // a payer's export).
            Map.entry("paybridge.webhooks.operations.operators.gateway", ingestOperatorToken),
            // Recovery of missed events: the simulator's events API read with each merchant's
            // token, which oauth-service hands to the client webhook-ingest-service. Switched on,
            // the service names its client and scope itself; what it cannot know is given here.
            Map.entry("paybridge.recovery.enabled", "true"),
            Map.entry("paybridge.recovery.interval", RECOVERY_INTERVAL),
            Map.entry("paybridge.recovery.settle", RECOVERY_SETTLE),
            Map.entry("paybridge.security.jwt.issuer-uri", issuerUri()),
            Map.entry("paybridge.gocardless.environment", "simulator"),
            Map.entry("paybridge.gocardless.base-url", simulator.baseUrl() + "/"),
            Map.entry("paybridge.gocardless.merchant-tokens-url", "http://localhost:" + oauthPort),
            Map.entry(
                "spring.security.oauth2.client.registration.oauth-service.client-secret",
                randomKey()),
            Map.entry(
                "spring.security.oauth2.client.provider.paybridge-idp.token-uri",
                issuerUri() + "/token")));
  }

  private ServiceProcess oauthService() {
    return service(
        "oauth-service",
        oauthPort,
        oauthManagementPort,
        Map.ofEntries(
            // The local profile allows development defaults; the issuer is still given, its port
            // may move.
            Map.entry("spring.profiles.active", "local"),
            Map.entry("paybridge.security.jwt.issuer-uri", issuerUri()),
            // Its own name for service calls, the API's for team calls through the gateway.
            Map.entry("paybridge.security.jwt.audiences", OAUTH_AUDIENCE + "," + API_AUDIENCE),
            Map.entry("paybridge.oauth.gocardless.api-url", simulator.baseUrl()),
            Map.entry("paybridge.oauth.gocardless.connect-url", simulator.connectUrl()),
            // The simulator's verification page has no login to tell it the merchant: the link
            // names it.
            Map.entry(
                "paybridge.oauth.gocardless.verify-url",
                simulator.baseUrl() + "/verify?organisation={organisation}"),
            Map.entry("paybridge.oauth.gocardless.client-id", SimulatorSettings.DEFAULT_CLIENT_ID),
            Map.entry(
                "paybridge.oauth.gocardless.client-secret",
                SimulatorSettings.DEFAULT_CLIENT_SECRET),
            Map.entry("paybridge.oauth.gocardless.redirect-uri", gatewayUrl() + "/oauth/callback"),
            Map.entry("paybridge.oauth.connect.state-signing-key", randomKey()),
            Map.entry("paybridge.oauth.token-encryption.keys.local1", randomKey()),
            Map.entry("paybridge.oauth.token-encryption.active-key-id", "local1")));
  }

  private ServiceProcess billingService() {
    return service(
        "billing-service",
        billingPort,
        billingManagementPort,
        Map.ofEntries(
            Map.entry("spring.profiles.active", "local"),
            Map.entry("paybridge.security.jwt.issuer-uri", issuerUri()),
            Map.entry("paybridge.gocardless.base-url", simulator.baseUrl() + "/"),
            Map.entry("paybridge.gocardless.environment", "simulator"),
            Map.entry("paybridge.gocardless.merchant-tokens-url", "http://localhost:" + oauthPort),
            Map.entry(
                "spring.security.oauth2.client.provider.paybridge-idp.token-uri",
                issuerUri() + "/token"),
            Map.entry(
                "spring.security.oauth2.client.registration.oauth-service.client-secret",
                randomKey()),
            Map.entry("paybridge.billing.erasure.pseudonym-key", randomKey()),
            Map.entry("paybridge.billing.personal-data-encryption.keys.local1", randomKey()),
            Map.entry("paybridge.billing.personal-data-encryption.active-key-id", "local1")));
  }

  private ServiceProcess notificationService() {
    return service(
        "notification-service",
        notificationPort,
        notificationManagementPort,
        Map.ofEntries(
            // The local profile accepts http:// receivers and allow-lists loopback.
            Map.entry("spring.profiles.active", "local"),
            Map.entry("paybridge.security.jwt.issuer-uri", issuerUri()),
            Map.entry("paybridge.notification.secrets.keys.local1", randomKey()),
            Map.entry("paybridge.notification.secrets.active-key-id", "local1"),
            Map.entry("spring.mail.host", "127.0.0.1"),
            Map.entry("spring.mail.port", Integer.toString(notificationSandbox.smtpPort()))));
  }

  /**
   * The development issuer answers each service's client-credentials request as the company IdP
   * would: a token for oauth-service naming that client, with {@code merchant-tokens:read} for the
   * services oauth-service allows to read merchants' tokens ({@link ServiceClientTokens}).
   */
  private static OAuth2Config serviceClientCredentials() {
    Map<String, Set<String>> scopes =
        TOKEN_CLIENTS.stream()
            .collect(Collectors.toMap(client -> client, client -> Set.of(TOKEN_SCOPE)));
    return new OAuth2Config(
        false,
        null,
        null,
        false,
        new OAuth2TokenProvider(),
        Set.of(new ServiceClientTokens(ISSUER_ID, OAUTH_AUDIENCE, scopes, 3600)));
  }

  /** The gateway: no database, no Kafka; the issuer, Redis and where each service listens. */
  private ServiceProcess gatewayService() {
    var arguments =
        List.of(
            "--server.port=" + gatewayPort,
            "--management.server.port=" + gatewayManagementPort,
            "--logging.structured.format.console=",
            "--paybridge.security.jwt.issuer-uri=" + issuerUri(),
            "--spring.data.redis.host=127.0.0.1",
            "--spring.data.redis.port=" + redisPort,
            "--paybridge.gateway.upstreams.oauth-service=http://localhost:" + oauthPort,
            "--paybridge.gateway.upstreams.webhook-ingest-service=http://localhost:"
                + webhookIngestPort,
            "--paybridge.gateway.upstreams.billing-service=http://localhost:" + billingPort,
            "--paybridge.gateway.upstreams.notification-service=http://localhost:"
                + notificationPort,
            "--PAYBRIDGE_OPERATIONS_WEBHOOK_INGEST_TOKEN=" + ingestOperatorToken);
    return new ServiceProcess(
        "gateway-service",
        root.resolve("gateway-service/target"),
        gatewayPort,
        gatewayManagementPort,
        arguments,
        logDirectory);
  }

  private ServiceProcess service(
      String name, int port, int managementPort, Map<String, String> extra) {
    return ServiceProcess.embedded(
        name,
        root,
        port,
        managementPort,
        postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(name)),
        kafka.bootstrapServers(),
        extra,
        logDirectory);
  }

  private String issuerUri() {
    return issuer.issuerUrl(ISSUER_ID).toString();
  }

  /** A team's access token for the API (through the gateway), as the company IdP would issue it. */
  private String teamToken(String team) {
    return issuer
        .issueToken(
            ISSUER_ID,
            "developer@" + team,
            API_AUDIENCE,
            Map.of("team", team, "scope", TEAM_SCOPES),
            12 * 3600)
        .serialize();
  }

  /** An operator's token for oauth-service's health details and metrics (management port). */
  private String operationsToken() {
    return issuer
        .issueToken(
            ISSUER_ID,
            "operator@local",
            OAUTH_AUDIENCE,
            Map.of("scope", OPERATIONS_SCOPE),
            12 * 3600)
        .serialize();
  }

  /**
   * An operator's token for the gateway's {@code /operations/**} (the operator console, the
   * timeline, recoveries): team {@code operations}, audience paybridge-api, the operations scopes.
   */
  private String operatorToken() {
    return issuer
        .issueToken(
            ISSUER_ID,
            "operator@local",
            API_AUDIENCE,
            Map.of("team", "operations", "scope", OPERATOR_SCOPES),
            12 * 3600)
        .serialize();
  }

  /** billing-service's client-credentials token for oauth-service's internal token endpoint. */
  private String billingServiceToken() {
    return issuer
        .issueToken(
            ISSUER_ID,
            "billing-service",
            OAUTH_AUDIENCE,
            Map.of("client_id", "billing-service", "scope", TOKEN_SCOPE),
            12 * 3600)
        .serialize();
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static List<String> watchedTopics() {
    var topics = new ArrayList<>(Topics.gocardlessTopics());
    topics.add(Topics.MERCHANTS_CONNECTION);
    topics.add(Topics.BILLING_BILLING_REQUEST);
    topics.add(Topics.BILLING_MANDATE);
    topics.add(Topics.BILLING_PAYMENT);
    return topics;
  }

  private void printWalkthrough() {
    String sample =
        "{\"events\":[{\"id\":\"EV"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase()
            + "\",\"created_at\":\"2026-03-02T10:15:50.733Z\",\"resource_type\":\"payments\",\"action\":\"confirmed\","
            + "\"links\":{\"payment\":\"PM00ABCD1234XY\",\"organisation\":\"OR0000SIMACME1\"},"
            + "\"details\":{\"origin\":\"gocardless\",\"cause\":\"payment_confirmed\"},\"metadata\":{}}],"
            + "\"meta\":{\"webhook_id\":\"WB0000LOCAL01\"}}";
    String gateway = gatewayUrl();
    String sim = simulator.baseUrl();
    String oauth = "http://localhost:" + oauthPort;
    String webhookIngestManagement = "http://localhost:" + webhookIngestManagementPort;
    String oauthManagement = "http://localhost:" + oauthManagementPort;
    String gatewayManagement = "http://localhost:" + gatewayManagementPort;
    String billingManagement = "http://localhost:" + billingManagementPort;
    String notificationManagement = "http://localhost:" + notificationManagementPort;
    System.out.print(
        """

        ================================================================================
         PayBridge local stack is up
        ================================================================================
         PostgreSQL       localhost:%1$d  user postgres / postgres, a database per service:
                          psql -h localhost -p %1$d -U postgres billing_service   (oauth_service, ...)
         Kafka            %2$s
                          kcat -b %2$s -C -t billing.payment -f '%%t %%k %%h\\n%%s\\n'
         OIDC issuer      %3$s
         GoCardless sim   %4$s   (state and control: %4$s/_simulator)
         gateway          %5$s   (the teams' entrance; Swagger UI of every service: %5$s/swagger-ui.html)
                          management %6$s; rate limits in Redis at localhost:%7$d
         operator console %5$s/console/ : paste this operator token (operations:read, operations:write)
                          OPERATOR=%24$s
                          curl -s "%5$s/operations/timeline?q=<EV… or PM…>" -H "Authorization: Bearer $OPERATOR" | jq
         webhook-ingest   http://localhost:%8$d/webhooks/gocardless, management %9$s
                          curl -s %9$s/actuator/health | jq        (details: db, kafka, outboxRelay)
                          recovery of missed events on: every %22$s it reads each connected
                          organisation's events (older than %23$s) from the simulator's events API
         oauth-service    %10$s, management %11$s: probes and Prometheus open, the rest with an
                          operator's token:
                          OPS=%12$s
                          curl -s %11$s/actuator/health -H "Authorization: Bearer $OPS" | jq
         billing-service  http://localhost:%13$d, management %14$s
         notification     http://localhost:%15$d, management %16$s; team-a's facts go to the sample
                          receiver %17$s ([sample-receiver] lines) and to team-a@paybridge.local
                          ([smtp-catcher] lines)

         Team calls go through the gateway with a team token (audience paybridge-api, team team-a,
         the merchants/payments/notifications read and write scopes):

           TOKEN=%18$s

         1. A signed sample webhook through the gateway (signed with the simulator's secret, %19$s):

           BODY='%20$s'
           SIG=$(printf '%%s' "$BODY" | openssl dgst -sha256 -hmac %19$s | sed 's/^.* //')
           curl -i %5$s/webhooks/gocardless -H "Webhook-Signature: $SIG" -H 'Content-Type: application/json' --data-binary "$BODY"

         2. Connect a simulated merchant for team-a:

           curl -s -X POST %5$s/merchant-connections -H "Authorization: Bearer $TOKEN" \\
                -H 'Content-Type: application/json' -d '{"companyName":"Acme Yoga"}'
           # open the authorisationUrl it returns in a browser; on the simulator's consent page choose
           # "Create a new organisation" (its name is prefilled with the companyName above) and Connect;
           # you are sent back through %5$s/oauth/callback. An existing organisation whose name differs
           # from companyName is held for review (status needs_review): confirm it with
           #   curl -s -X POST %5$s/merchants/<merchantId>/confirmation -H "Authorization: Bearer $TOKEN"
           curl -s %5$s/merchants -H "Authorization: Bearer $TOKEN"     # status connected
           # what billing-service does to call GoCardless for the merchant (allow-listed client),
           # straight to oauth-service: the gateway never routes /internal/** (it answers 404)
           BILLING=%21$s
           curl -s %10$s/internal/merchants/<merchantId>/access-token -H "Authorization: Bearer $BILLING"

         3. The new merchant's verification is action_required: open its verificationUrl (from step 2)
            in a browser and submit the form. The creditor goes in_review (MerchantVerificationChanged),
            and is successful after the review delay (5 minutes of the simulator's clock; step 4 moves
            it on by days).

         4. Take a payment for the merchant: a billing request with a one-off payment and a mandate,
            then the hosted page for the payer (billing-service learns the merchant from
            merchants.connection: right after step 2 it may answer 404 merchant-not-found a moment):

           curl -s -X POST %5$s/billing-requests -H "Authorization: Bearer $TOKEN" -H 'Idempotency-Key: order-1' \\
                -H 'Content-Type: application/json' -d '{"merchantId":"<merchantId>",
                  "paymentRequest":{"amount":1500,"currency":"GBP","description":"Class pass"},
                  "mandateRequest":{"scheme":"bacs","currency":"GBP","verify":"recommended"}}'
           curl -s -X POST %5$s/billing-request-flows -H "Authorization: Bearer $TOKEN" \\
                -H 'Content-Type: application/json' -d '{"billingRequestId":"<id from above>",
                  "redirectUri":"https://example.com/paid","exitUri":"https://example.com/exit"}'
           # open its authorisationUrl in a browser and complete the payer's steps; the simulator's
           # webhooks reach webhook-ingest through the gateway, billing-service projects them and
           # publishes BillingRequestFulfilled on billing.billing-request (printed below). Then:
           curl -s %5$s/billing-requests/<id> -H "Authorization: Bearer $TOKEN"   # fulfilled, mandateId, paymentId
           # move the simulated clock: the payment is confirmed and paid out, the mandate active
           curl -X POST '%4$s/_simulator/clock/advance?days=7'
           curl -s %5$s/payments/<paymentId> -H "Authorization: Bearer $TOKEN"    # paid_out
           curl -s %5$s/mandates/<mandateId> -H "Authorization: Bearer $TOKEN"    # active
           # PaymentConfirmed and PaymentPaidOut arrive on billing.payment, and the sample receiver
           # prints the notifications of each ([sample-receiver] verified ... "type":"PaymentPaidOut")

         5. The merchant revokes access at GoCardless: the simulator sends organisations.disconnected,
            webhook-ingest publishes it, oauth-service disconnects the merchant (MerchantDisconnected):

           curl -X POST %4$s/_simulator/organisations/<organisationId from step 2>/disconnect

         6. Recovery of missed events (on here, scheduled every %22$s): after step 2 every connected
            organisation's events are read from the simulator's events API; an event whose webhook
            never arrived is published then, once. The runs, with an operator's token (team
            operations, scopes operations:read operations:write: OPERATOR above):

           curl -s %5$s/operations/recoveries -H "Authorization: Bearer $OPERATOR" | jq
           # switch the organisation's webhooks off, make events, then wait for the next run (or ask
           # for one: POST %5$s/operations/recoveries {"organisationId","from","to"})
           curl -X PUT '%4$s/_simulator/organisations/<organisationId>/webhook_endpoint' \\
                -H 'Content-Type: application/json' -d '{"url":"%5$s/webhooks/gocardless","secret":"wrong"}'

         Every record that reaches Kafka is printed below as it arrives. Ctrl-C stops everything.
        ================================================================================

        """
            .formatted(
                postgresPort,
                kafka.bootstrapServers(),
                issuerUri(),
                sim,
                gateway,
                gatewayManagement,
                redisPort,
                webhookIngestPort,
                webhookIngestManagement,
                oauth,
                oauthManagement,
                operationsToken(),
                billingPort,
                billingManagement,
                notificationPort,
                notificationManagement,
                notificationSandbox.receiverUrl(),
                teamToken("team-a"),
                SimulatorSettings.DEFAULT_WEBHOOK_SECRET,
                sample,
                billingServiceToken(),
                RECOVERY_INTERVAL,
                RECOVERY_SETTLE,
                operatorToken()));
  }

  /** Prints every record published to a watched topic, so a developer sees events arrive. */
  void watchTopics() {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-watch-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    try (var consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      watcher = consumer;
      consumer.subscribe(watchedTopics());
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
    } catch (WakeupException | InterruptException e) {
      // a stop was requested
    } finally {
      watcher = null;
    }
  }

  /**
   * Stops what was started, the services first (SIGTERM, all at once: each relay stops before its
   * database goes), then the sandbox, simulator, issuer, Redis, Kafka and PostgreSQL. Runs once.
   */
  synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    running = false;
    step("Stopping");
    var unwritten =
        services.stream()
            .filter(service -> service.isAlive() && service.recordsAotCache())
            .map(ServiceProcess::name)
            .toList();
    if (!unwritten.isEmpty()) {
      step(
          "Writing the AOT caches of "
              + String.join(", ", unwritten)
              + " as they stop: this stop takes longer (up to a few minutes)");
    }
    try (var stopping = Executors.newVirtualThreadPerTaskExecutor()) {
      services.forEach(service -> stopping.submit(service::stop));
    }
    quietly("the notification sandbox", notificationSandbox);
    quietly("the simulator", simulator);
    quietly("the OIDC issuer", issuer == null ? null : issuer::shutdown);
    quietly("Redis", redis);
    quietly("Kafka", kafka == null ? null : kafka::close);
    quietly("PostgreSQL", postgres == null ? null : postgres::close);
    step("Stopped");
  }

  /**
   * Closes one part; a part already gone (Ctrl-C reaches Redis and PostgreSQL, which run as child
   * processes in the terminal's process group, at the same time as this JVM) is reported in a line.
   */
  private static void quietly(String what, AutoCloseable part) {
    if (part == null) {
      return;
    }
    try {
      part.close();
    } catch (Exception e) {
      step("Stopping " + what + ": " + e);
    }
  }

  private static void step(String message) {
    System.out.println("[local-stack] " + message);
  }

  private static int port(String variable, int fallback) {
    return Integer.parseInt(env(variable, Integer.toString(fallback)));
  }

  private static String env(String variable, String fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
