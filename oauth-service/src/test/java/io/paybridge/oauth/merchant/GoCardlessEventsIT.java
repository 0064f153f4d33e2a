package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.oauth.support.WebhookIngestStandIn;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verification changes and disconnects arriving as GoCardless events, each delivered twice: the
 * outcome (state and facts) is that of one delivery. The handlers change nothing on a repeat, so
 * these tests would pass without the consumer's deduplication too; that is shown where a repeat
 * would double its effect (platform/outbox's {@code IdempotentConsumerIT} and {@code
 * ConsumerProcessKillIT}) and by the fault harness's scenario 6 for this service.
 */
class GoCardlessEventsIT extends IntegrationHarness {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final WebhookIngestStandIn ingest = new WebhookIngestStandIn();
  private final java.util.Set<String> seen = new java.util.HashSet<>();

  @AfterEach
  void close() {
    ingest.close();
  }

  @Test
  void verificationChangesArePublishedOnceEachHoweverOftenTheEventArrives() {
    String merchantId = connectNewMerchant("team-a");
    var merchant = view("team-a", merchantId);
    String creditorId = merchant.get("creditorId").asString();
    String accessToken = token(merchantId);

    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      String first = changeVerification(accessToken, creditorId, "in_review", 2);
      awaitVerification(kafka, merchantId, "in_review");
      String second = changeVerification(accessToken, creditorId, "successful", 2);
      awaitVerification(kafka, merchantId, "successful");
      // A later event of the same creditor (same partition) is applied after both duplicates.
      changeVerification(accessToken, creditorId, "action_required", 1);
      awaitVerification(kafka, merchantId, "action_required");

      var facts =
          kafka.received().stream()
              .filter(r -> merchantId.equals(r.key()))
              .filter(r -> "MerchantVerificationChanged".equals(r.header(EventHeaders.EVENT_TYPE)))
              .map(r -> JSON.readTree(r.value()))
              .toList();
      assertThat(facts)
          .extracting(f -> f.get("previousVerificationStatus").asString())
          .containsExactly("action_required", "in_review", "successful");
      assertThat(facts)
          .extracting(f -> f.get("verificationStatus").asString())
          .containsExactly("in_review", "successful", "action_required");
      assertThat(facts.get(2).get("verificationUrl").asString())
          .isEqualTo(world.verificationUrl(merchant.get("organisationId").asString()));
      assertThat(facts.get(0).get("verificationUrl").isNull()).isTrue();
      assertThat(consumed(first)).isEqualTo(1);
      assertThat(consumed(second)).isEqualTo(1);
    }
    var after = view("team-a", merchantId);
    assertThat(after.get("verificationStatus").asString()).isEqualTo("action_required");
    assertThat(after.get("verificationUrl").asString())
        .isEqualTo(world.verificationUrl(merchant.get("organisationId").asString()));
  }

  @Test
  void aDisconnectWebhookDisconnectsTheMerchantShredsItsTokenAndIsPublishedOnce() {
    String merchantId = connectNewMerchant("team-b");
    String organisationId = view("team-b", merchantId).get("organisationId").asString();

    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      assertThat(world.simulator.disconnect(organisationId)).isTrue();
      JsonNode disconnected =
          WebhookIngestStandIn.awaitEvent(
              world.simulator,
              e ->
                  "organisations".equals(e.get("resource_type").asString())
                      && organisationId.equals(e.get("links").get("organisation").asString()));
      assertThat(disconnected.get("id").isNull()).isTrue();
      String id = ingest.publish(disconnected);
      assertThat(ingest.publish(disconnected)).isEqualTo(id);

      var fact =
          kafka
              .await(
                  r ->
                      merchantId.equals(r.key())
                          && "MerchantDisconnected".equals(r.header(EventHeaders.EVENT_TYPE)))
              .hasHeader(EventHeaders.TENANT, "team-b")
              .hasHeader(EventHeaders.ORGANISATION_ID, organisationId);
      assertThat(JSON.readTree(fact.value()).get("reason").asString())
          .isEqualTo("revoked_by_merchant");

      var merchant = view("team-b", merchantId);
      assertThat(merchant.get("status").asString()).isEqualTo("disconnected");
      assertThat(merchant.get("disconnectReason").asString()).isEqualTo("revoked_by_merchant");
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from merchant_token where merchant_id = ?",
                  Integer.class,
                  merchantId))
          .isZero();
      var refused =
          Http.get(
              url("/internal/merchants/" + merchantId + "/access-token"),
              world.serviceToken("billing-service", true));
      assertThat(refused.status()).isEqualTo(404);
      assertThat(refused.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/merchant-not-connected");

      assertThat(
              publishedSoFar(
                  kafka,
                  r ->
                      merchantId.equals(r.key())
                          && "MerchantDisconnected".equals(r.header(EventHeaders.EVENT_TYPE))))
          .hasSize(1);
      assertThat(consumed(id)).isEqualTo(1);
    }
  }

  /**
   * The listener goes by the eventType header: an event it does not apply is not even read (a value
   * that is not JSON is no poison then), and a record written without the header is typed from its
   * body by the contract's rule rather than dead-lettered.
   */
  @Test
  void dispatchesOnTheEventTypeHeaderAndReadsTheTypeFromTheBodyWithoutIt() {
    String merchantId = connectNewMerchant("team-a");
    String organisationId = view("team-a", merchantId).get("organisationId").asString();

    try (var kafka =
        KafkaTestConsumer.fromNow(
            Topics.MERCHANTS_CONNECTION,
            Topics.deadLetter(Topics.GOCARDLESS_ORGANISATIONS, "oauth-service"))) {
      String skipped = "EV" + java.util.UUID.randomUUID().toString().substring(0, 8).toUpperCase();
      ingest.publishRaw(
          Topics.GOCARDLESS_ORGANISATIONS,
          organisationId,
          Map.of(EventHeaders.ID, skipped, EventHeaders.EVENT_TYPE, "organisations.renamed"),
          "not json");
      assertThat(world.simulator.disconnect(organisationId)).isTrue();
      JsonNode disconnected = awaitDisconnect(organisationId, null);
      String id = ingest.publishWithoutEventType(disconnected);

      kafka.await(
          r ->
              merchantId.equals(r.key())
                  && "MerchantDisconnected".equals(r.header(EventHeaders.EVENT_TYPE)));
      assertThat(view("team-a", merchantId).get("status").asString()).isEqualTo("disconnected");
      assertThat(consumed(id)).isEqualTo(1);
      assertThat(consumed(skipped)).isZero();
      // Same key, so same partition: the listener handled the skipped record (and would have sent
      // it to the DLT, synchronously) before it applied the disconnect. The DLT's end now is a
      // known end.
      assertThat(
              kafka.readToEnd(
                  r -> r.topic().endsWith(".dlt") && skipped.equals(r.header(EventHeaders.ID)),
                  Duration.ofSeconds(30)))
          .isEmpty();
    }
  }

  @Test
  void aTeamDisconnectRevokesTheTokenAtGoCardlessAndClosesTheConnection() {
    String merchantId = connectNewMerchant("team-a");
    String accessToken = token(merchantId);

    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      var response = Http.delete(url("/merchants/" + merchantId), world.teamToken("team-a"));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().get("status").asString()).isEqualTo("disconnected");
      assertThat(response.json().get("disconnectReason").asString())
          .isEqualTo("disconnected_by_team");
      assertThat(creditorsStatus(accessToken)).isEqualTo(401);
      var fact =
          kafka.await(
              r ->
                  merchantId.equals(r.key())
                      && "MerchantDisconnected".equals(r.header(EventHeaders.EVENT_TYPE)));
      assertThat(JSON.readTree(fact.value()).get("reason").asString())
          .isEqualTo("disconnected_by_team");
      // Disconnecting again changes nothing.
      var again = Http.delete(url("/merchants/" + merchantId), world.teamToken("team-a"));
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().get("status").asString()).isEqualTo("disconnected");
    }
  }

  /**
   * The merchant revokes access (E1), E1 is held up (a 503 and GoCardless's retry, consumer lag, a
   * dead-letter replay) while the team reconnects the organisation as a new merchant; E1 arrives
   * after that.
   */
  @Test
  void aDisconnectOlderThanTheCurrentConnectionIsRecordedAndChangesNothing() {
    String first = connectNewMerchant("team-a");
    String organisationId = view("team-a", first).get("organisationId").asString();

    assertThat(world.simulator.disconnect(organisationId)).isTrue();
    JsonNode late = awaitDisconnect(organisationId, null);
    // The team finds the first connection dead and replaces it (the merchant takes a while).
    assertThat(Http.delete(url("/merchants/" + first), world.teamToken("team-a")).status())
        .isEqualTo(200);
    world.simulator.clock().advance(Duration.ofSeconds(30));
    String second = reconnect("team-a", organisationId);
    JsonNode connected = view("team-a", second);
    assertThat(connected.get("status").asString()).isEqualTo("connected");
    assertThat(Instant.parse(late.get("created_at").asString()))
        .isBefore(Instant.parse(connected.get("connectedAt").asString()));
    double staleBefore = staleCount("organisations", "disconnected");

    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      String lateId = ingest.publish(late);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> consumed(lateId) == 1);

      assertThat(view("team-a", second).get("status").asString()).isEqualTo("connected");
      var token =
          Http.get(
              url("/internal/merchants/" + second + "/access-token"),
              world.serviceToken("billing-service", true));
      assertThat(token.status()).isEqualTo(200);
      assertThat(creditorsStatus(token.json().get("accessToken").asString())).isEqualTo(200);
      assertThat(
              publishedSoFar(
                  kafka,
                  r ->
                      second.equals(r.key())
                          && "MerchantDisconnected".equals(r.header(EventHeaders.EVENT_TYPE))))
          .isEmpty();
      var recorded =
          jdbc.queryForMap(
              "select resource_type, action, organisation_id, merchant_id, event_created_at,"
                  + " connected_at from stale_gocardless_event where event_id = ?",
              lateId);
      assertThat(recorded)
          .containsEntry("resource_type", "organisations")
          .containsEntry("action", "disconnected")
          .containsEntry("organisation_id", organisationId)
          .containsEntry("merchant_id", second);
      assertThat(((java.sql.Timestamp) recorded.get("event_created_at")).toInstant())
          .isEqualTo(Instant.parse(late.get("created_at").asString()));
      assertThat(((java.sql.Timestamp) recorded.get("connected_at")).toInstant())
          .isEqualTo(Instant.parse(connected.get("connectedAt").asString()));
      assertThat(staleCount("organisations", "disconnected")).isEqualTo(staleBefore + 1);

      // A disconnect made after the second connection does end it.
      world.simulator.clock().advance(Duration.ofSeconds(5));
      assertThat(world.simulator.disconnect(organisationId)).isTrue();
      JsonNode fresh = awaitDisconnect(organisationId, late.get("created_at").asString());
      ingest.publish(fresh);
      kafka.await(
          r ->
              second.equals(r.key())
                  && "MerchantDisconnected".equals(r.header(EventHeaders.EVENT_TYPE)));
      var ended = view("team-a", second);
      assertThat(ended.get("status").asString()).isEqualTo("disconnected");
      assertThat(ended.get("disconnectReason").asString()).isEqualTo("revoked_by_merchant");
      assertThat(staleCount("organisations", "disconnected")).isEqualTo(staleBefore + 1);
    }
  }

  /**
   * A verification change of the organisation's previous connection, arriving after the
   * reconnection, publishes nothing for the new one; the change made since does.
   */
  @Test
  void aCreditorUpdateOlderThanTheCurrentConnectionIsRecordedAndPublishesNothing() {
    String first = connectNewMerchant("team-b");
    var merchant = view("team-b", first);
    String organisationId = merchant.get("organisationId").asString();
    String creditorId = merchant.get("creditorId").asString();
    JsonNode old = scenarioEvent(token(first), creditorId, "in_review");

    assertThat(Http.delete(url("/merchants/" + first), world.teamToken("team-b")).status())
        .isEqualTo(200);
    world.simulator.clock().advance(Duration.ofSeconds(30));
    String second = reconnect("team-b", organisationId);
    assertThat(view("team-b", second).get("verificationStatus").asString()).isEqualTo("in_review");
    JsonNode current = scenarioEvent(token(second), creditorId, "successful");
    double staleBefore = staleCount("creditors", "updated");

    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      String oldId = ingest.publish(old);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> consumed(oldId) == 1);
      assertThat(
              jdbc.queryForObject(
                  "select merchant_id from stale_gocardless_event where event_id = ?",
                  String.class,
                  oldId))
          .isEqualTo(second);
      assertThat(staleCount("creditors", "updated")).isEqualTo(staleBefore + 1);
      assertThat(view("team-b", second).get("verificationStatus").asString())
          .isEqualTo("in_review");

      ingest.publish(current);
      awaitVerification(kafka, second, "successful");
      var facts =
          publishedSoFar(
              kafka,
              r ->
                  second.equals(r.key())
                      && "MerchantVerificationChanged".equals(r.header(EventHeaders.EVENT_TYPE)));
      assertThat(facts)
          .singleElement()
          .extracting(r -> JSON.readTree(r.value()).get("previousVerificationStatus").asString())
          .isEqualTo("in_review");
    }
  }

  /** Runs a verification scenario and returns its creditors.updated event, not yet delivered. */
  private JsonNode scenarioEvent(String accessToken, String creditorId, String status) {
    runVerificationScenario(accessToken, creditorId, status);
    JsonNode event =
        WebhookIngestStandIn.awaitEvent(
            world.simulator,
            e ->
                "creditors".equals(e.get("resource_type").asString())
                    && creditorId.equals(e.get("links").get("creditor").asString())
                    && !seen.contains(e.get("id").asString()));
    seen.add(event.get("id").asString());
    return event;
  }

  /** The organisation's disconnect event other than the one created at {@code notCreatedAt}. */
  private static JsonNode awaitDisconnect(String organisationId, String notCreatedAt) {
    return WebhookIngestStandIn.awaitEvent(
        world.simulator,
        e ->
            "organisations".equals(e.get("resource_type").asString())
                && organisationId.equals(e.get("links").get("organisation").asString())
                && !e.get("created_at").asString().equals(notCreatedAt));
  }

  /** The team connects an organisation GoCardless already knows again; returns the merchant id. */
  private String reconnect(String team, String organisationId) {
    var started = startConnection(team, "{}").json();
    String callback = consent(started.get("authorisationUrl").asString(), organisationId, true);
    var back = Http.get(callback, null);
    assertThat(back.status()).as(back.body()).isEqualTo(303);
    assertThat(Http.query(back.location())).containsEntry("outcome", "connected");
    return started.get("merchantId").asString();
  }

  /** {@code paybridge_oauth_events_stale_total} of one event type, as Prometheus scrapes it. */
  private double staleCount(String resourceType, String action) {
    return Http.get(managementUrl("/actuator/prometheus"), null)
        .body()
        .lines()
        .filter(l -> l.startsWith("paybridge_oauth_events_stale_total{"))
        .filter(l -> l.contains("resource_type=\"" + resourceType + "\""))
        .filter(l -> l.contains("action=\"" + action + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Runs the sandbox scenario and publishes its creditors.updated event {@code times} times. */
  private String changeVerification(
      String accessToken, String creditorId, String status, int times) {
    // The simulator sends each change as a creditors.updated webhook: take the one not seen yet.
    JsonNode event = scenarioEvent(accessToken, creditorId, status);
    String eventId = event.get("id").asString();
    assertThat(event.get("details").get("property").asString()).isEqualTo("verification_status");
    for (int i = 0; i < times; i++) {
      ingest.publish(event);
    }
    return eventId;
  }

  private int consumed(String eventId) {
    return jdbc.queryForObject(
        "select count(*) from consumed_message where consumer = 'oauth-service' and event_id = ?",
        Integer.class,
        eventId);
  }
}
