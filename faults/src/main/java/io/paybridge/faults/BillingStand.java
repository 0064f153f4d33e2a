package io.paybridge.faults;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.platform.testsupport.http.MerchantTokenEndpoint;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatedOrganisation;
import io.paybridge.simulator.SimulatorSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What billing-service's scenarios (8, 9) share: the GoCardless simulator (in this JVM, its clock
 * moved only by the scenario), test-support's OIDC issuer (team tokens, and billing-service's own
 * client-credentials token), a stand-in of oauth-service's merchant-token endpoint, and
 * billing-service as a process of its own from its jar on the harness's PostgreSQL and Kafka.
 * Merchants are announced on {@code merchants.connection} as oauth-service announces them.
 */
final class BillingStand implements AutoCloseable {

  static final String BILLING = "billing-service";
  static final String TEAM = "team-faults";
  static final ObjectMapper JSON = JsonMapper.builder().build();

  final Stack stack;
  final GoCardlessSimulator simulator;
  final TestIssuer issuer = TestIssuer.get();
  final MerchantTokenEndpoint tokens = MerchantTokenEndpoint.forClients(BILLING);
  final ServiceProcess billing;
  final String jdbcUrl;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** A merchant of the team, connected. */
  record Merchant(String id, SimulatedOrganisation organisation) {}

  BillingStand(Stack stack, String scenario) throws Exception {
    this.stack = stack;
    simulator =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withPort(Stack.freePort())
                // Each scenario its own ids: billing-service's database outlives this simulator,
                // and GoCardless never issues an id twice (the default seed would, in scenario 9,
                // hand out ids of scenario 8's resources again).
                .withSeed(scenario.hashCode() ^ System.nanoTime())
                .withTickInterval(Duration.ZERO)
                // The scenarios' load is not GoCardless's rate limit (429s are tested apart).
                .withRateLimit(1_000_000, Duration.ofMinutes(1)));
    var topics =
        List.of(
            Topics.BILLING_BILLING_REQUEST,
            Topics.BILLING_MANDATE,
            Topics.BILLING_PAYMENT,
            Topics.BILLING_REFUND,
            Topics.BILLING_SUBSCRIPTION,
            Topics.BILLING_INSTALMENT_SCHEDULE);
    stack.kafka.createTopics(topics);
    // billing-service reads the GoCardless topics from what is published now. Every other
    // scenario's webhooks are of organisations no merchant is ever connected for, and
    // billing-service retries an event of an unknown organisation for 10 minutes
    // (unknown-merchant-grace: its merchants.connection fact may be late), so after them it would
    // wait that long before reaching this scenario's events.
    stack.kafka.startGroupAtEnd(BILLING, Topics.gocardlessTopics());
    jdbcUrl = stack.postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(BILLING));
    var arguments = new LinkedHashMap<String, String>();
    arguments.put("logging.level.io.paybridge", "warn");
    arguments.put("logging.level.io.paybridge.platform.outbox.ConsumerRetries", "info");
    arguments.put("paybridge.security.jwt.issuer-uri", issuer.issuerUri());
    arguments.put("paybridge.gocardless.base-url", simulator.baseUrl() + "/");
    arguments.put("paybridge.gocardless.environment", "simulator");
    arguments.put("paybridge.gocardless.merchant-tokens-url", tokens.url());
    arguments.put(
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri",
        issuer.issuerUri() + "/token");
    arguments.put("spring.security.oauth2.client.registration.oauth-service.client-secret", "x");
    billing = stack.service(BILLING, scenario, arguments, Stack.freePort());
  }

  /** A new organisation at the simulator, connected for {@link #TEAM}; returns once applied. */
  Merchant connect(String name) throws Exception {
    var organisation = simulator.createOrganisation(name, "successful");
    String merchantId = UUID.randomUUID().toString();
    tokens.connect(merchantId, organisation.organisationId(), organisation.accessToken());
    var fact =
        new MerchantConnected(
            merchantId,
            TEAM,
            organisation.organisationId(),
            organisation.creditorId(),
            "successful",
            Instant.now());
    var record =
        new ProducerRecord<>(
            Topics.MERCHANTS_CONNECTION, merchantId, JSON.writeValueAsString(fact));
    record.headers().add(EventHeaders.ID, bytes(UUID.randomUUID().toString()));
    record.headers().add(EventHeaders.EVENT_TYPE, bytes("MerchantConnected"));
    record.headers().add(EventHeaders.TENANT, bytes(TEAM));
    try (var producer = IngestRecords.producer(stack.kafka.bootstrapServers())) {
      producer.send(record).get(30, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (count("select count(*) from merchant where id = '" + merchantId + "'") == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("billing-service did not learn merchant " + merchantId);
      }
      Thread.sleep(100);
    }
    return new Merchant(merchantId, organisation);
  }

  /** A team member's token for billing-service. */
  String teamToken() {
    return issuer.teamToken(TEAM, BILLING, "payments:read", "payments:write");
  }

  String billingUrl(String path) {
    return "http://127.0.0.1:" + billing.port() + path;
  }

  /** A call to the simulator's API with an organisation's token. */
  JsonNode gocardless(SimulatedOrganisation organisation, String method, String path, String body)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + organisation.accessToken())
            .header("GoCardless-Version", "2015-07-06")
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Every resource of a list endpoint of the simulator ({@code /billing_requests}, ...). */
  List<JsonNode> all(SimulatedOrganisation organisation, String path, String envelope)
      throws Exception {
    var all = new java.util.ArrayList<JsonNode>();
    String after = null;
    do {
      var page =
          gocardless(
              organisation,
              "GET",
              path + "?limit=500" + (after == null ? "" : "&after=" + after),
              null);
      page.path(envelope).forEach(all::add);
      var next = page.path("meta").path("cursors").path("after");
      after = next.isNull() || next.isMissingNode() ? null : next.asString();
    } while (after != null);
    return all;
  }

  Connection database() throws SQLException {
    return java.sql.DriverManager.getConnection(
        jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
  }

  /** billing-service's row of a billing request and its idempotency key, as text (or "none"). */
  String rowOf(String billingRequestId) throws SQLException {
    try (var connection = database();
        var statement =
            connection.prepareStatement(
                "select coalesce((select b::text from billing_request b where b.id = ?), 'no row')"
                    + " || ' | keys: ' || coalesce((select string_agg(k::text, ', ')"
                    + " from idempotency_key k where k.resource_id = ?), 'none')")) {
      statement.setString(1, billingRequestId);
      statement.setString(2, billingRequestId);
      try (var rows = statement.executeQuery()) {
        rows.next();
        return String.valueOf(rows.getString(1));
      }
    }
  }

  long count(String sql) throws SQLException {
    try (var connection = database();
        var statement = connection.createStatement();
        var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static Map<String, String> headers(org.apache.kafka.common.header.Headers headers) {
    var map = new LinkedHashMap<String, String>();
    headers.forEach(h -> map.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
    return map;
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    billing.stop();
    tokens.close();
    simulator.close();
  }
}
