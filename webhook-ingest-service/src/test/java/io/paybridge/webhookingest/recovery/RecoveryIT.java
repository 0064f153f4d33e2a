package io.paybridge.webhookingest.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.gocardless.GoCardlessClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.testsupport.AsyncApiContract;
import io.paybridge.platform.testsupport.GoCardlessEventsStandIn;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.http.MerchantTokenEndpoint;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatedOrganisation;
import io.paybridge.simulator.SimulatorSettings;
import io.paybridge.simulator.WebhookDelivery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Recovery against the GoCardless simulator (its events API read with the official client), a real
 * OIDC issuer (operators' tokens, the service's client credentials), a stand-in of oauth-service's
 * merchant-token endpoint over HTTP, and the embedded PostgreSQL and broker. The expected events
 * are what the simulator's events API lists, never what the service read; "once" is read up to a
 * marker written to the outbox after the recovery.
 */
@IntegrationTest
class RecoveryIT {

  private static final String CLIENT_ID = "webhook-ingest-service";
  private static final String AUDIENCE = "webhook-ingest-service";
  // One of the secrets of application-test.yml: webhooks signed with it are accepted.
  private static final String WEBHOOK_SECRET = "local-simulator-webhook-secret";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path ASYNCAPI = Path.of("..", "docs", "asyncapi.yaml");

  // GoCardless gives up at once: no automatic retry of a failed webhook (a retry is asked for
  // through the API, as an operator would at GoCardless).
  static final GoCardlessSimulator SIMULATOR =
      GoCardlessSimulator.start(
          SimulatorSettings.defaults()
              .withTickInterval(Duration.ZERO)
              .withWebhookRetryDelays(List.of())
              .withWebhookBatchWindow(Duration.ofMillis(20)));
  static final MerchantTokenEndpoint MERCHANT_TOKENS = MerchantTokenEndpoint.forClients(CLIENT_ID);
  static final TestIssuer ISSUER = TestIssuer.get();

  @DynamicPropertySource
  static void world(DynamicPropertyRegistry registry) {
    registry.add("paybridge.recovery.enabled", () -> "true");
    registry.add("paybridge.recovery.scheduled", () -> "false");
    // Scheduled runs read up to now (no wait for webhooks) and a minute before their cursor.
    registry.add("paybridge.recovery.settle", () -> "0s");
    registry.add("paybridge.recovery.overlap", () -> "1m");
    registry.add("paybridge.recovery.page-size", () -> "3");
    registry.add("paybridge.security.jwt.issuer-uri", ISSUER::issuerUri);
    registry.add("paybridge.security.jwt.jwks-uri", ISSUER::jwksUri);
    registry.add("paybridge.gocardless.environment", () -> "simulator");
    registry.add("paybridge.gocardless.base-url", SIMULATOR::baseUrl);
    registry.add("paybridge.gocardless.merchant-tokens-url", MERCHANT_TOKENS::url);
    String registration = "spring.security.oauth2.client.registration.oauth-service.";
    registry.add(registration + "client-id", () -> CLIENT_ID);
    registry.add(registration + "client-secret", () -> "test-only-secret");
    registry.add(registration + "authorization-grant-type", () -> "client_credentials");
    registry.add(registration + "scope", () -> "merchant-tokens:read");
    registry.add(registration + "provider", () -> "paybridge-idp");
    registry.add(
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri",
        () -> ISSUER.issuerUri() + "/token");
  }

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired ObjectMapper mapper;
  @Autowired MeterRegistry meters;
  @Autowired RecoveryService recovery;
  @Autowired RecoveryProperties properties;

  private final GoCardlessEventsStandIn facts = new GoCardlessEventsStandIn();

  @Test
  void everyEventOfAnOutageReachesKafkaOnceAfterRecoveryAndALateWebhookAddsNothing()
      throws Exception {
    var organisation = connectedOrganisation("Outage Ltd");
    // The endpoint refuses every delivery (498): a wrong secret at GoCardless's side.
    SIMULATOR.configureWebhookEndpoint(
        organisation.organisationId(), webhookUrl(), "a-secret-the-service-does-not-know");
    Instant from = SIMULATOR.clock().now();
    makeEvents(organisation, 4);
    Instant to = SIMULATOR.clock().now().plusMillis(1);
    List<JsonNode> expected = eventsOf(organisation);
    assertThat(expected).hasSize(8);
    awaitWebhooksGivenUp(organisation, 8);
    double recoveredBefore = recovered("operator");

    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_BILLING_REQUESTS)) {
      var started =
          Http.postJson(
              url("/operations/recoveries"),
              operator("operations:write"),
              """
              {"organisationId":"%s","from":"%s","to":"%s"}
              """
                  .formatted(organisation.organisationId(), from, to));
      assertThat(started.status()).as(started.body()).isEqualTo(202);
      assertThat(started.json().path("requestedBy").asString()).isEqualTo("operator-ann");
      assertThat(started.json().path("trigger").asString()).isEqualTo("operator");
      // The operator's run is audited with who asked, for which organisation and range.
      var audited =
          jdbc.queryForMap(
              "select actor, target, detail::text as detail from audit_entry"
                  + " where action = 'recoveries.started' and target = ?",
              "recovery " + started.json().path("id").asLong());
      assertThat(audited.get("actor")).isEqualTo("operator:operator-ann");
      assertThat(mapper.readTree((String) audited.get("detail")).path("organisationId").asString())
          .isEqualTo(organisation.organisationId());
      JsonNode run = awaitFinished(started.location());
      assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
      assertThat(run.path("eventsRead").asInt()).isEqualTo(8);
      assertThat(run.path("eventsRecovered").asInt()).isEqualTo(8);
      assertThat(run.path("pages").asInt()).isEqualTo(3); // 3 + 3 + 2 events

      var published = publishedOf(kafka, organisation);
      assertThat(published.stream().map(r -> r.header(EventHeaders.ID)).toList())
          .containsExactlyInAnyOrderElementsOf(ids(expected));
      var contract = AsyncApiContract.load(ASYNCAPI);
      published.forEach(
          record -> assertThat(contract.violations(record)).as("%s", record).isEmpty());
      // Each record carries the event as GoCardless's events API gives it, key and headers by
      // the topic's contract.
      for (JsonNode event : expected) {
        var record =
            published.stream()
                .filter(r -> event.path("id").asString().equals(r.header(EventHeaders.ID)))
                .findFirst()
                .orElseThrow();
        assertThat(mapper.readTree(record.value())).isEqualTo(event);
        assertThat(record.key()).isEqualTo(event.path("links").path("billing_request").asString());
        assertThat(record.header(EventHeaders.EVENT_TYPE))
            .isEqualTo("billing_requests." + event.path("action").asString());
        assertThat(record.header(EventHeaders.ORGANISATION_ID))
            .isEqualTo(organisation.organisationId());
      }
      assertThat(recovered("operator") - recoveredBefore).isEqualTo(8.0);

      // The endpoint is fixed and GoCardless's failed webhooks are sent again (an operator at
      // GoCardless): accepted, and nothing is published twice.
      SIMULATOR.configureWebhookEndpoint(
          organisation.organisationId(), webhookUrl(), WEBHOOK_SECRET);
      var gocardless = client(organisation);
      var failed = deliveriesOf(organisation);
      for (WebhookDelivery delivery : failed) {
        gocardless.webhooks().retry(delivery.id()).execute();
      }
      await()
          .atMost(WAIT)
          .until(
              () ->
                  deliveriesOf(organisation).stream().filter(WebhookDelivery::successful).count()
                      == failed.size());
      assertThat(publishedOf(kafka, organisation).stream().map(r -> r.header(EventHeaders.ID)))
          .containsExactlyInAnyOrderElementsOf(ids(expected));
    }
  }

  @Test
  void theScheduleAloneBringsAMissedEventToKafkaOnce() throws Exception {
    var organisation = connectedOrganisation("Schedule Ltd");
    SIMULATOR.configureWebhookEndpoint(
        organisation.organisationId(), webhookUrl(), "a-secret-the-service-does-not-know");
    makeEvents(organisation, 1);
    List<JsonNode> expected = eventsOf(organisation);
    assertThat(expected).hasSize(2);
    awaitWebhooksGivenUp(organisation, 2);

    // The context's own schedule is off (the other tests start passes themselves and count their
    // runs); this is the service's scheduler with a short interval over the same service. Every
    // pass after the first reads the events again (overlap): they must still arrive once.
    var every =
        new RecoveryProperties(
            true,
            true,
            Duration.ofMillis(200),
            properties.settle(),
            properties.overlap(),
            properties.pageSize(),
            properties.lease());
    var scheduler = new RecoveryScheduler(recovery, every);
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_BILLING_REQUESTS)) {
      scheduler.start();
      try {
        kafka.awaitDistinctIds(
            r -> organisation.organisationId().equals(r.header(EventHeaders.ORGANISATION_ID)),
            2,
            WAIT);
        // At least one more pass after the one that published.
        long runs = scheduledRunsOf(organisation);
        await().atMost(WAIT).until(() -> scheduledRunsOf(organisation) > runs);
      } finally {
        scheduler.stop();
      }
      assertThat(scheduler.isRunning()).isFalse();
      assertThat(publishedOf(kafka, organisation).stream().map(r -> r.header(EventHeaders.ID)))
          .containsExactlyInAnyOrderElementsOf(ids(expected));
      assertThat(
              jdbc.queryForList(
                  "select distinct trigger from recovery_run where organisation_id = ?",
                  String.class,
                  organisation.organisationId()))
          .containsExactly("schedule");
    }
  }

  @Test
  void withWebhooksWorkingAScheduledRecoveryPublishesNothingNew() throws Exception {
    var organisation = connectedOrganisation("Working Webhooks Ltd");
    SIMULATOR.configureWebhookEndpoint(organisation.organisationId(), webhookUrl(), WEBHOOK_SECRET);

    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_BILLING_REQUESTS)) {
      makeEvents(organisation, 2);
      List<JsonNode> expected = eventsOf(organisation);
      assertThat(expected).hasSize(4);
      kafka.awaitDistinctIds(
          r -> organisation.organisationId().equals(r.header(EventHeaders.ORGANISATION_ID)),
          4,
          WAIT);

      recovery.recoverAll();

      var run =
          jdbc.queryForMap(
              "select * from recovery_run where organisation_id = ? order by id desc limit 1",
              organisation.organisationId());
      assertThat(run.get("trigger")).isEqualTo("schedule");
      assertThat(run.get("status")).isEqualTo("succeeded");
      assertThat(run.get("events_read")).isEqualTo(4);
      assertThat(run.get("events_recovered")).isEqualTo(0);
      assertThat(run.get("events_already_received")).isEqualTo(4);
      assertThat(publishedOf(kafka, organisation).stream().map(r -> r.header(EventHeaders.ID)))
          .containsExactlyInAnyOrderElementsOf(ids(expected));
      // The cursor moved to the end of what was read: the next pass starts there.
      assertThat(
              jdbc.queryForObject(
                  "select last_event_id from recovery_cursor where organisation_id = ?",
                  String.class,
                  organisation.organisationId()))
          .isEqualTo(expected.getLast().path("id").asString());
    }
  }

  @Test
  void aScheduledRunThatCannotReadFailsAndLeavesTheCursorWhereItWas() {
    var organisation = connectedOrganisation("Revoked Ltd");
    recovery.recoverAll();
    var cursor = cursorOf(organisation);
    assertThat(cursor.get("lease_owner")).isNull();

    // The merchant revokes PayBridge's access at GoCardless: its token is refused.
    SIMULATOR.disconnect(organisation.organisationId());
    recovery.recoverAll();

    var run =
        jdbc.queryForMap(
            "select * from recovery_run where organisation_id = ? order by id desc limit 1",
            organisation.organisationId());
    assertThat(run.get("status")).isEqualTo("failed");
    assertThat((String) run.get("error")).startsWith("ReconnectionRequired");
    assertThat(run.get("events_read")).isEqualTo(0);
    var after = cursorOf(organisation);
    assertThat(after.get("read_until")).isEqualTo(cursor.get("read_until"));
    assertThat(after.get("lease_owner")).isNull();
  }

  @Test
  void operatorsNeedTheirScopesAndAConnectedOrganisation() {
    String body =
        """
        {"organisationId":"OR000NOTKNOWN1","from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}
        """;
    assertThat(Http.postJson(url("/operations/recoveries"), null, body).status()).isEqualTo(401);
    var readOnly = Http.postJson(url("/operations/recoveries"), operator("operations:read"), body);
    assertThat(readOnly.status()).isEqualTo(403);
    assertThat(readOnly.json().path("type").asString()).endsWith("/forbidden");
    var unknown = Http.postJson(url("/operations/recoveries"), operator("operations:write"), body);
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().path("type").asString()).endsWith("/organisation-not-connected");
    var emptyRange =
        Http.postJson(
            url("/operations/recoveries"),
            operator("operations:write"),
            """
            {"organisationId":"OR000NOTKNOWN1","from":"2026-01-02T00:00:00Z","to":"2026-01-01T00:00:00Z"}
            """);
    assertThat(emptyRange.status()).isEqualTo(400);
    assertThat(emptyRange.json().path("detail").asString()).contains("from must be before to");
    assertThat(Http.get(url("/operations/recoveries"), operator("operations:read")).status())
        .isEqualTo(200);
    assertThat(Http.get(url("/operations/recoveries"), operator("payments:read")).status())
        .isEqualTo(403);
    assertThat(Http.get(url("/operations/recoveries/999999"), operator("operations:read")).status())
        .isEqualTo(404);
  }

  private long scheduledRunsOf(SimulatedOrganisation organisation) {
    return jdbc.queryForObject(
        "select count(*) from recovery_run where organisation_id = ? and trigger = 'schedule'"
            + " and status <> 'running'",
        Long.class,
        organisation.organisationId());
  }

  private Map<String, Object> cursorOf(SimulatedOrganisation organisation) {
    return jdbc.queryForMap(
        "select read_until, lease_owner from recovery_cursor where organisation_id = ?",
        organisation.organisationId());
  }

  /** A new organisation at the simulator, connected as oauth-service announces it. */
  private SimulatedOrganisation connectedOrganisation(String name) {
    var organisation = SIMULATOR.createOrganisation(name, "successful");
    String merchantId = UUID.randomUUID().toString();
    MERCHANT_TOKENS.connect(merchantId, organisation.organisationId(), organisation.accessToken());
    var fact =
        new MerchantConnected(
            merchantId,
            "team-" + name.hashCode(),
            organisation.organisationId(),
            organisation.creditorId(),
            "successful",
            SIMULATOR.clock().now());
    facts.send(
        Topics.MERCHANTS_CONNECTION,
        merchantId,
        mapper.writeValueAsString(fact),
        Map.of(
            EventHeaders.ID, UUID.randomUUID().toString(),
            EventHeaders.EVENT_TYPE, "MerchantConnected",
            EventHeaders.TENANT, fact.team()));
    await()
        .atMost(WAIT)
        .until(
            () ->
                jdbc.queryForObject(
                        "select count(*) from recovery_merchant where merchant_id = ? and connected",
                        Integer.class,
                        merchantId)
                    == 1);
    return organisation;
  }

  /** {@code count} billing requests created and cancelled: two events each. */
  private void makeEvents(SimulatedOrganisation organisation, int count) {
    var gocardless = client(organisation);
    for (int i = 0; i < count; i++) {
      var created =
          gocardless
              .billingRequests()
              .create()
              .withMandateRequestScheme("bacs")
              .withMandateRequestCurrency("GBP")
              .execute();
      gocardless.billingRequests().cancel(created.getId()).execute();
    }
  }

  /** Every event of the organisation, oldest first, as the simulator's events API lists them. */
  private List<JsonNode> eventsOf(SimulatedOrganisation organisation) {
    List<JsonNode> all = new ArrayList<>();
    String after = null;
    do {
      var response =
          Http.getWithHeaders(
              SIMULATOR.baseUrl() + "/events?limit=500" + (after == null ? "" : "&after=" + after),
              organisation.accessToken(),
              Map.of("GoCardless-Version", "2015-07-06"));
      var body = response.json();
      body.path("events").forEach(all::add);
      var next = body.path("meta").path("cursors").path("after");
      after = next.isNull() || next.isMissingNode() ? null : next.asString();
    } while (after != null);
    return all.reversed();
  }

  private void awaitWebhooksGivenUp(SimulatedOrganisation organisation, int events) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var deliveries = deliveriesOf(organisation);
              int sent =
                  deliveries.stream()
                      .mapToInt(d -> mapper.readTree(d.body()).path("events").size())
                      .sum();
              return sent == events
                  && deliveries.stream()
                      .allMatch(d -> d.attempts() > 0 && !d.retrying() && !d.successful());
            });
    assertThat(deliveriesOf(organisation)).allMatch(d -> d.responseCode() == 498);
  }

  private List<WebhookDelivery> deliveriesOf(SimulatedOrganisation organisation) {
    return SIMULATOR.webhookDeliveries().stream()
        .filter(d -> organisation.organisationId().equals(d.organisationId()))
        .toList();
  }

  private JsonNode awaitFinished(String location) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                !"running"
                    .equals(
                        Http.get(url(location), operator("operations:read"))
                            .json()
                            .path("status")
                            .asString()));
    return Http.get(url(location), operator("operations:read")).json();
  }

  /** The organisation's records published before now, read past a marker. */
  private List<KafkaTestConsumer.Received> publishedOf(
      KafkaTestConsumer kafka, SimulatedOrganisation organisation) {
    return kafka.readPastMarker(
        jdbc.getDataSource(),
        Topics.GOCARDLESS_BILLING_REQUESTS,
        r -> organisation.organisationId().equals(r.header(EventHeaders.ORGANISATION_ID)),
        WAIT);
  }

  private double recovered(String trigger) {
    var counter =
        meters
            .find("paybridge.recovery.events")
            .tag("trigger", trigger)
            .tag("result", "recovered")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static List<String> ids(List<JsonNode> events) {
    return events.stream().map(e -> e.path("id").asString()).toList();
  }

  private static GoCardlessClient client(SimulatedOrganisation organisation) {
    return GoCardlessClient.newBuilder(organisation.accessToken())
        .withBaseUrl(SIMULATOR.baseUrl())
        .build();
  }

  private static String operator(String scope) {
    return ISSUER.token("operator-ann", AUDIENCE, Map.of("scope", scope));
  }

  private String webhookUrl() {
    return url("/webhooks/gocardless");
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }
}
