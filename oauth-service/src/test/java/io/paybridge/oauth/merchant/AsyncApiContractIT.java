package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.oauth.support.WebhookIngestStandIn;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent;
import io.paybridge.platform.testsupport.AsyncApiContract;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI document in docs/ is the contract of merchants.connection: each fact this service
 * publishes, on the paths that publish it, is a record whose headers and payload its schemas
 * accept, under the message its eventType names.
 */
class AsyncApiContractIT extends IntegrationHarness {

  private static final AsyncApiContract CONTRACT =
      AsyncApiContract.load(Path.of("../docs/asyncapi.yaml"));

  private final WebhookIngestStandIn ingest = new WebhookIngestStandIn();

  @AfterEach
  void close() {
    ingest.close();
  }

  @Test
  void everyFactPublishedMatchesTheAsyncApiDocument() {
    assertThat(CONTRACT.messageNames(Topics.MERCHANTS_CONNECTION))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(MerchantConnectionEvent.class.getPermittedSubclasses())
                .map(Class::getSimpleName)
                .toList());

    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      // MerchantConnected, then MerchantVerificationChanged from a creditors.updated event, then
      // MerchantDisconnected from GoCardless's id-less organisations.disconnected event.
      String revoked = connectNewMerchant("team-a");
      var merchant = view("team-a", revoked);
      String organisationId = merchant.get("organisationId").asString();
      String creditorId = merchant.get("creditorId").asString();
      runVerificationScenario(token(revoked), creditorId, "in_review");
      ingest.publish(
          WebhookIngestStandIn.awaitEvent(
              world.simulator,
              e ->
                  "creditors".equals(e.get("resource_type").asString())
                      && creditorId.equals(e.get("links").get("creditor").asString())));
      awaitFact(kafka, revoked, "MerchantVerificationChanged");
      assertThat(world.simulator.disconnect(organisationId)).isTrue();
      ingest.publish(
          WebhookIngestStandIn.awaitEvent(
              world.simulator,
              e ->
                  "organisations".equals(e.get("resource_type").asString())
                      && organisationId.equals(e.get("links").get("organisation").asString())));
      awaitFact(kafka, revoked, "MerchantDisconnected");
      // MerchantDisconnected by the team.
      String dropped = connectNewMerchant("team-b");
      assertThat(Http.delete(url("/merchants/" + dropped), world.teamToken("team-b")).status())
          .isEqualTo(200);
      awaitFact(kafka, dropped, "MerchantDisconnected");

      var records =
          kafka.readToEnd(
              r -> revoked.equals(r.key()) || dropped.equals(r.key()), Duration.ofSeconds(30));
      assertThat(records)
          .extracting(r -> r.key().equals(revoked) + " " + r.header(EventHeaders.EVENT_TYPE))
          .contains(
              "true MerchantConnected",
              "true MerchantVerificationChanged",
              "true MerchantDisconnected",
              "false MerchantConnected",
              "false MerchantDisconnected");
      for (var record : records) {
        assertThat(CONTRACT.violations(record)).as("%s %s", record, record.value()).isEmpty();
      }
    }
  }
}
