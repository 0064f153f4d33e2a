package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.Http;
import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.oauth.support.WebhookIngestStandIn;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.KafkaTestConsumer.Received;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Verification changes and disconnects arriving as GoCardless events, each delivered twice. */
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
          .isEqualTo("https://verify.simulator.test/");
      assertThat(facts.get(0).get("verificationUrl").isNull()).isTrue();
      assertThat(consumed(first)).isEqualTo(1);
      assertThat(consumed(second)).isEqualTo(1);
    }
    var after = view("team-a", merchantId);
    assertThat(after.get("verificationStatus").asString()).isEqualTo("action_required");
    assertThat(after.get("verificationUrl").asString()).isEqualTo("https://verify.simulator.test/");
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
              kafka.drain(
                  r ->
                      merchantId.equals(r.key())
                          && "MerchantDisconnected".equals(r.header(EventHeaders.EVENT_TYPE)),
                  Duration.ofSeconds(2)))
          .hasSize(1);
      assertThat(consumed(id)).isEqualTo(1);
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

  /** Runs the sandbox scenario and publishes its creditors.updated event {@code times} times. */
  private String changeVerification(
      String accessToken, String creditorId, String status, int times) {
    var run =
        Http.postJsonWithHeaders(
            world.simulator.baseUrl()
                + "/scenario_simulators/creditor_verification_status_"
                + status
                + "/actions/run",
            accessToken,
            "{\"data\":{\"links\":{\"resource\":\"" + creditorId + "\"}}}",
            Map.of("GoCardless-Version", "2015-07-06"));
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    // The simulator sends each change as a creditors.updated webhook: take the one not seen yet.
    JsonNode event =
        WebhookIngestStandIn.awaitEvent(
            world.simulator,
            e ->
                "creditors".equals(e.get("resource_type").asString())
                    && creditorId.equals(e.get("links").get("creditor").asString())
                    && !seen.contains(e.get("id").asString()));
    String eventId = event.get("id").asString();
    seen.add(eventId);
    assertThat(event.get("details").get("property").asString()).isEqualTo("verification_status");
    for (int i = 0; i < times; i++) {
      ingest.publish(event);
    }
    return eventId;
  }

  private static Received awaitVerification(
      KafkaTestConsumer kafka, String merchantId, String status) {
    return kafka.await(
        r ->
            merchantId.equals(r.key())
                && "MerchantVerificationChanged".equals(r.header(EventHeaders.EVENT_TYPE))
                && r.value().contains("\"verificationStatus\":\"" + status + "\""));
  }

  private JsonNode view(String team, String merchantId) {
    return Http.get(url("/merchants/" + merchantId), world.teamToken(team)).json();
  }

  private String token(String merchantId) {
    return Http.get(
            url("/internal/merchants/" + merchantId + "/access-token"),
            world.serviceToken("billing-service", true))
        .json()
        .get("accessToken")
        .asString();
  }

  private int creditorsStatus(String accessToken) {
    return Http.getWithHeaders(
            world.simulator.baseUrl() + "/creditors",
            accessToken,
            Map.of("GoCardless-Version", "2015-07-06"))
        .status();
  }

  private int consumed(String eventId) {
    return jdbc.queryForObject(
        "select count(*) from consumed_message where consumer = 'oauth-service' and event_id = ?",
        Integer.class,
        eventId);
  }
}
