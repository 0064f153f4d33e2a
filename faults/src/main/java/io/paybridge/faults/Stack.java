package io.paybridge.faults;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.AotCache;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.platform.testsupport.SignedWebhooks;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.Utils;

/**
 * The infrastructure every scenario shares — PostgreSQL and the Kafka broker, each a process of its
 * own on a fixed port and data directory — and the means to start the services from their jars,
 * read their health and make marker events.
 */
final class Stack implements AutoCloseable {

  static final String WEBHOOK_INGEST = "webhook-ingest-service";
  static final String OAUTH = "oauth-service";
  static final String NOTIFICATION = "notification-service";
  static final String SECRET = "faults-webhook-endpoint-secret";

  /** Partitions of every topic (as the tests' broker and a small production topic). */
  static final int PARTITIONS = 3;

  final FaultSettings settings;
  final Path root = Path.of("").toAbsolutePath();
  final Path work = root.resolve("faults/target/faults-run");
  final String runId =
      Long.toString(System.currentTimeMillis() / 1000 % 60_466_176, 36).toUpperCase();
  final SignedWebhooks webhooks = new SignedWebhooks(SECRET, runId);
  final PostgresServer postgres;
  final KafkaBroker kafka;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ServiceProcess> started = new ArrayList<>();
  private no.nav.security.mock.oauth2.MockOAuth2Server issuer;
  private final AtomicInteger instances = new AtomicInteger();

  /**
   * The services' AOT caches (JDK 25), as local-stack keeps its own: each service's first start
   * records one and writes it once ready, before its scenario's load; every later start, restarts
   * after a kill or a stop included, loads and links its classes from it. Kept across runs until
   * the jar changes. Off ({@code aotCache=off}): every start from the executable jar.
   */
  private final AotCache aotCache;

  Stack(FaultSettings settings) throws IOException {
    this.settings = settings;
    org.springframework.util.FileSystemUtils.deleteRecursively(work);
    postgres = new PostgresServer(freePort(), work.resolve("postgres"));
    kafka = new KafkaBroker(freePort(), freePort(), work.resolve("kafka"), work.resolve("logs"));
    aotCache = settings.aotCache() ? new AotCache(root.resolve("faults/target/aot")) : null;
  }

  void start() throws Exception {
    FaultHarness.say(
        "starting PostgreSQL 17 (its own processes, data in %s)", work.resolve("postgres"));
    postgres.start();
    FaultHarness.say("starting the Kafka broker (its own JVM, %s)", kafka.bootstrapServers());
    kafka.start();
    var topics = new ArrayList<>(Topics.gocardlessTopics());
    topics.add(Topics.MERCHANTS_CONNECTION);
    for (String topic : List.of(Topics.GOCARDLESS_ORGANISATIONS, Topics.GOCARDLESS_CREDITORS)) {
      topics.add(deadLetterTopic(topic));
    }
    topics.add(Topics.BILLING_PAYMENT);
    topics.add(Topics.NOTIFICATIONS_DELIVERY);
    kafka.createTopics(topics);
  }

  static String deadLetterTopic(String topic) {
    return topic + "." + OAUTH + ".dlt";
  }

  /**
   * A webhook-ingest-service instance (not started) on a new port, logging under {@code scenario}.
   */
  ServiceProcess webhookIngest(String scenario, Map<String, String> extra) throws Exception {
    var arguments = new LinkedHashMap<String, String>();
    arguments.put("logging.level.io.paybridge", "warn");
    arguments.put("paybridge.webhooks.gocardless.secrets", SECRET);
    arguments.putAll(extra);
    return service(WEBHOOK_INGEST, scenario, arguments, freePort());
  }

  /**
   * An oauth-service instance (not started) as local-stack runs it: JWTs from a development OIDC
   * issuer in this JVM, GoCardless at {@code gocardlessUrl} (the simulator, or nothing listening
   * where a scenario needs only its consumers).
   */
  ServiceProcess oauthService(String scenario, String gocardlessUrl, int port) throws Exception {
    String callbackUrl = "http://localhost:" + port + "/oauth/callback";
    var arguments = new LinkedHashMap<String, String>();
    arguments.put("logging.level.io.paybridge", "warn");
    // The consumers' retries (one INFO line per failing record), to read a verdict's details by.
    arguments.put("logging.level.io.paybridge.platform.outbox.ConsumerRetries", "info");
    arguments.put("paybridge.security.jwt.issuer-uri", issuerUri());
    arguments.put("paybridge.security.jwt.audiences", OAUTH);
    arguments.put("paybridge.oauth.gocardless.api-url", gocardlessUrl);
    arguments.put("paybridge.oauth.gocardless.connect-url", gocardlessUrl);
    arguments.put(
        "paybridge.oauth.gocardless.verify-url",
        gocardlessUrl + "/verify?organisation={organisation}");
    arguments.put(
        "paybridge.oauth.gocardless.client-id",
        io.paybridge.simulator.SimulatorSettings.DEFAULT_CLIENT_ID);
    arguments.put(
        "paybridge.oauth.gocardless.client-secret",
        io.paybridge.simulator.SimulatorSettings.DEFAULT_CLIENT_SECRET);
    arguments.put("paybridge.oauth.gocardless.redirect-uri", callbackUrl);
    arguments.put("paybridge.oauth.connect.state-signing-key", randomKey());
    arguments.put("paybridge.oauth.token-encryption.keys.faults1", randomKey());
    arguments.put("paybridge.oauth.token-encryption.active-key-id", "faults1");
    return service(OAUTH, scenario, arguments, port);
  }

  /**
   * A notification-service instance (not started) as local-stack runs it, with short leases and
   * retries so that what a kill interrupts is re-sent within the scenario.
   */
  ServiceProcess notificationService(String scenario) throws Exception {
    var arguments = new LinkedHashMap<String, String>();
    arguments.put("logging.level.io.paybridge", "warn");
    arguments.put("paybridge.security.jwt.issuer-uri", issuerUri());
    arguments.put("paybridge.security.jwt.audiences", NOTIFICATION);
    arguments.put("paybridge.notification.secrets.keys.faults1", notificationKey);
    arguments.put("paybridge.notification.secrets.active-key-id", "faults1");
    arguments.put("paybridge.notification.endpoints.allow-http", "true");
    arguments.put("paybridge.notification.egress.allowed-networks", "127.0.0.0/8");
    arguments.put("paybridge.notification.delivery.attempt-timeout", "5s");
    arguments.put("paybridge.notification.delivery.lease", "10s");
    arguments.put("paybridge.notification.delivery.retry-schedule", "1s,2s,4s,8s,8s,8s,8s,8s");
    arguments.put("spring.mail.host", "127.0.0.1");
    return service(NOTIFICATION, scenario, arguments, freePort());
  }

  /** The key that encrypts notification-service's signing secrets: the same for every instance. */
  private final String notificationKey = randomKey();

  /** A team member's token for {@code audience} with {@code scopes}. */
  String teamToken(String team, String audience, String scopes) {
    issuerUri();
    return issuer
        .issueToken(
            "paybridge", "faults@" + team, audience, Map.of("team", team, "scope", scopes), 3600)
        .serialize();
  }

  synchronized String issuerUri() {
    if (issuer == null) {
      issuer = new no.nav.security.mock.oauth2.MockOAuth2Server();
      issuer.start();
    }
    return issuer.issuerUrl("paybridge").toString();
  }

  /** A team's access token for oauth-service, as the company IdP would issue it. */
  String teamToken(String team) {
    issuerUri();
    return issuer
        .issueToken("paybridge", "faults@" + team, OAUTH, Map.of("team", team), 3600)
        .serialize();
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  ServiceProcess service(String name, String scenario, Map<String, String> extra, int port)
      throws Exception {
    int managementPort = freePort();
    String instance = name + "-" + instances.incrementAndGet();
    var arguments = new LinkedHashMap<String, String>();
    // Named as a Kubernetes pod is (deploy/k8s): the name stays when the instance is restarted.
    arguments.put("paybridge.consumer.instance-id", instance);
    arguments.putAll(extra);
    var service =
        ServiceProcess.embedded(
            name,
            root,
            port,
            managementPort,
            postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(name)),
            kafka.bootstrapServers(),
            arguments,
            work.resolve("logs").resolve(scenario).resolve(instance));
    if (aotCache != null) {
      service.withAotCache(aotCache);
    }
    started.add(service);
    return service;
  }

  /**
   * Starts a service (again) and waits for its readiness, with a fresh log file. A start that
   * recorded the service's AOT cache writes it before it counts as ready: the JVM stops answering
   * for the seconds that takes, which must not fall inside a scenario's measured load.
   */
  void startAndAwait(ServiceProcess service) throws Exception {
    service.start();
    service.awaitReady(Duration.ofMinutes(3));
    var aotCacheWrite = service.writeRecordedAotCache(Duration.ofMinutes(3));
    if (aotCacheWrite.isPresent()) {
      FaultHarness.say("  %s", aotCacheWrite.get());
      service.awaitReady(Duration.ofMinutes(1));
    }
  }

  static URI webhookEndpoint(ServiceProcess service) {
    return URI.create("http://localhost:" + service.port() + "/webhooks/gocardless");
  }

  /** An actuator endpoint of an instance, where an operator would call it. */
  static URI actuator(ServiceProcess service, String path) {
    return URI.create("http://localhost:" + service.managementPort() + "/actuator/" + path);
  }

  /**
   * The HTTP status of an instance's readiness probe ({@code /actuator/health/readiness}: 200 UP,
   * 503 not ready), or 0 when it does not answer.
   */
  int readiness(ServiceProcess service) {
    try {
      return http.send(
              HttpRequest.newBuilder(actuator(service, "health/readiness"))
                  .timeout(Duration.ofSeconds(6))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The {@code outboxRelay} part of an instance's health; empty when it does not answer. */
  RelayHealth relayHealth(ServiceProcess service) {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(actuator(service, "health"))
                      // the kafka indicator alone may take its 3 s while the broker is away
                      .timeout(Duration.ofSeconds(6))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      int at = body.indexOf("\"outboxRelay\"");
      if (at < 0) {
        return RelayHealth.UNKNOWN;
      }
      String relay = body.substring(at);
      return new RelayHealth(
          find(relay, "\"status\"\\s*:\\s*\"(\\w+)\""),
          find(relay, "\"role\"\\s*:\\s*\"(\\w+)\""),
          "true".equals(find(relay, "\"streaming\"\\s*:\\s*(true|false)")),
          Long.parseLong(firstNonNull(find(relay, "\"relayed\"\\s*:\\s*(\\d+)"), "0")),
          find(relay, "\"lastError\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\""));
    } catch (IOException e) {
      return RelayHealth.UNKNOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RelayHealth.UNKNOWN;
    }
  }

  /** What an instance says of its relay. */
  record RelayHealth(
      String status, String role, boolean streaming, long relayed, String lastError) {
    static final RelayHealth UNKNOWN = new RelayHealth("?", "?", false, 0, null);

    boolean leader() {
      return "LEADER".equals(role);
    }

    @Override
    public String toString() {
      return status
          + " role="
          + role
          + " streaming="
          + streaming
          + " relayed="
          + relayed
          + (lastError == null ? "" : " lastError=" + lastError);
    }
  }

  private static String find(String text, String regex) {
    var matcher = Pattern.compile(regex).matcher(text);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  /**
   * Marker events on {@code gocardless.payments}, one keyed to each partition, sent after every
   * other event of a scenario was acknowledged: once all are read, everything committed before them
   * has been relayed too (the relay publishes in commit order).
   */
  List<SignedWebhooks.Webhook> paymentMarkers(String tag) {
    var markers = new ArrayList<SignedWebhooks.Webhook>();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (int partition = 0; partition < PARTITIONS; partition++) {
      String key = keyFor("PM", tag, partition);
      String id = "EV" + runId + "MK" + tag + partition;
      markers.add(webhooks.deliver("MK" + tag, List.of(SignedWebhooks.payment(id, key, now))));
    }
    return markers;
  }

  /** Marker events on {@code gocardless.organisations}, one per partition. */
  List<SignedWebhooks.Webhook> organisationMarkers(String tag) {
    var markers = new ArrayList<SignedWebhooks.Webhook>();
    for (int partition = 0; partition < PARTITIONS; partition++) {
      String organisation = keyFor("OR", tag, partition);
      String id = "EV" + runId + "MO" + tag + partition;
      markers.add(webhooks.deliver("MO" + tag, List.of(organisationEvent(id, organisation))));
    }
    return markers;
  }

  /**
   * An {@code organisations}/{@code disconnected} event of an organisation no merchant has: every
   * consumer of the topic still records it (idempotent consumer) and changes nothing, so it
   * exercises the consumers' database path under a database fault.
   */
  static SignedWebhooks.Event organisationEvent(String id, String organisation) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String json =
        "{\"id\":\""
            + id
            + "\",\"created_at\":\""
            + now
            + "\",\"resource_type\":\"organisations\",\"action\":\"disconnected\","
            + "\"links\":{\"organisation\":\""
            + organisation
            + "\"},\"details\":{\"origin\":\"customer\",\"cause\":\"app_disconnected\","
            + "\"description\":\"This app has been disconnected from the organisation.\"},"
            + "\"metadata\":{}}";
    return new SignedWebhooks.Event(id, organisation, now, json);
  }

  /** A key the Java client's default partitioner puts on {@code partition}. */
  private String keyFor(String resourcePrefix, String tag, int partition) {
    for (int i = 0; ; i++) {
      String key = resourcePrefix + runId + tag + "X" + i;
      if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS
          == partition) {
        return key;
      }
    }
  }

  static Set<String> ids(List<SignedWebhooks.Webhook> webhooks) {
    var ids = new HashSet<String>();
    webhooks.forEach(w -> w.events().forEach(e -> ids.add(e.id())));
    return ids;
  }

  /**
   * A load of webhooks on one instance, each retried as GoCardless does (given up after 5 minutes).
   */
  WebhookLoad loadOn(ServiceProcess service) {
    return new WebhookLoad(
        webhooks, () -> List.of(webhookEndpoint(service)), settings, Duration.ofMinutes(5));
  }

  /** An audit of {@code gocardless.payments} from its end offsets now. */
  TopicAudit paymentsAudit() {
    return new TopicAudit(kafka.bootstrapServers(), List.of(Topics.GOCARDLESS_PAYMENTS));
  }

  /**
   * How a scenario's load ended: whether every webhook got its 2xx within 3 minutes of the last one
   * sent, how many did not, and what a consumer read up to the markers.
   */
  record LoadEnd(boolean settled, long unsettled, String unsettledDetail, TopicAudit.Result kafka) {

    /** The scenario's detail lines on the webhooks without a 2xx, none when every one had it. */
    List<String> unsettledDetails() {
      return unsettledDetail.isEmpty() ? List.of() : List.of("webhooks: " + unsettledDetail);
    }
  }

  /**
   * Ends a scenario's load: no new webhooks; up to 3 minutes for every one sent to get its 2xx;
   * then one marker per partition, tagged {@code tag}, and the audit of what was acknowledged, up
   * to them.
   */
  LoadEnd endLoad(WebhookLoad load, TopicAudit audit, String tag) throws InterruptedException {
    load.stopSending();
    boolean settled = load.awaitSettled(Duration.ofMinutes(3));
    FaultHarness.say(
        "  load stopped: %d webhooks, %d acknowledged; answers %s",
        load.deliveries.size(), load.acked(), load.describeOutcomes());
    // Given up counts as settled for the wait, not for the verdict.
    boolean allAcknowledged = load.acked() == load.deliveries.size();
    String unsettledDetail = allAcknowledged ? "" : load.describeUnsettled();
    if (!allAcknowledged) {
      FaultHarness.say("  %s", unsettledDetail);
    }
    var markers = paymentMarkers(tag);
    sendMarkers(load, markers);
    var kafka =
        audit.audit(
            acknowledged(load, prefix(tag)), prefix(tag), ids(markers), settings.markerTimeout());
    // Without a 2xx, the markers included: still waiting, or given up.
    long unsettled = load.deliveries.size() - load.acked();
    return new LoadEnd(settled, unsettled, unsettledDetail, kafka);
  }

  /** Ids of the events whose webhook got a 2xx. */
  static Set<String> acknowledged(WebhookLoad load, String prefix) {
    var ids = new HashSet<String>();
    for (var delivery : load.snapshot()) {
      if (delivery.acked()) {
        for (String id : delivery.eventIds()) {
          if (id.startsWith(prefix)) {
            ids.add(id);
          }
        }
      }
    }
    return ids;
  }

  String prefix(String tag) {
    return "EV" + runId + tag;
  }

  /** Sends the markers (retried until 2xx) and waits for their acknowledgement. */
  void sendMarkers(WebhookLoad load, List<SignedWebhooks.Webhook> markers)
      throws InterruptedException {
    var deliveries = markers.stream().map(load::submit).toList();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (deliveries.stream().anyMatch(d -> !d.acked()) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  void stopServices() {
    for (var service : started.reversed()) {
      service.stop();
    }
    started.clear();
  }

  static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  @Override
  public void close() throws Exception {
    stopServices();
    if (issuer != null) {
      issuer.shutdown();
    }
    kafka.close();
    postgres.close();
  }
}
