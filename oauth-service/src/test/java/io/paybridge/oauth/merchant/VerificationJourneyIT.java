package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.oauth.support.WebhookIngestStandIn;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A new merchant walks GoCardless's verification (docs/gocardless/API.md §2.4) from the link the
 * team is given: {@code action_required} → details submitted → {@code in_review} → the review ends
 * → {@code successful}, each step reaching the team as {@code MerchantVerificationChanged} through
 * the {@code creditors.updated} events GoCardless sends.
 */
class VerificationJourneyIT extends IntegrationHarness {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The simulator's default review delay (its README). */
  private static final Duration REVIEW_DELAY = Duration.ofMinutes(5);

  private final WebhookIngestStandIn ingest = new WebhookIngestStandIn();
  private final Set<String> delivered = new HashSet<>();

  @AfterEach
  void close() {
    ingest.close();
  }

  @Test
  void theMerchantVerifiesThroughTheLinkAndTheTeamSeesEachStep() {
    String merchantId = connectNewMerchant("team-a");
    JsonNode merchant = view("team-a", merchantId);
    String organisationId = merchant.get("organisationId").asString();
    String creditorId = merchant.get("creditorId").asString();
    assertThat(merchant.get("verificationStatus").asString()).isEqualTo("action_required");
    String link = merchant.get("verificationUrl").asString();
    assertThat(link).isEqualTo(world.simulator.verificationUrl(organisationId));

    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      // The merchant's browser: the page, then the form.
      var page = Http.get(link, null);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains(creditorId).contains("id=\"verification_details\"");
      var submitted =
          Http.postForm(
              link,
              Map.of(
                  "legal_name", "Merchant Ltd",
                  "company_number", "09876543",
                  "director", "Ada Director"));
      assertThat(submitted.status()).isEqualTo(303);

      deliverVerificationEvent(creditorId);
      JsonNode inReview = JSON.readTree(awaitVerification(kafka, merchantId, "in_review").value());
      assertThat(inReview.get("previousVerificationStatus").asString())
          .isEqualTo("action_required");
      assertThat(inReview.get("creditorId").asString()).isEqualTo(creditorId);
      assertThat(inReview.get("verificationUrl").isNull()).isTrue();
      JsonNode reviewing = view("team-a", merchantId);
      assertThat(reviewing.get("verificationStatus").asString()).isEqualTo("in_review");
      assertThat(reviewing.has("verificationUrl")).isFalse();

      world.simulator.clock().advance(REVIEW_DELAY);
      deliverVerificationEvent(creditorId);
      JsonNode verified = JSON.readTree(awaitVerification(kafka, merchantId, "successful").value());
      assertThat(verified.get("previousVerificationStatus").asString()).isEqualTo("in_review");
      assertThat(view("team-a", merchantId).get("verificationStatus").asString())
          .isEqualTo("successful");
      assertThat(Http.get(link, null).body()).contains("id=\"successful\"");

      assertThat(
              publishedSoFar(
                  kafka,
                  r ->
                      merchantId.equals(r.key())
                          && "MerchantVerificationChanged"
                              .equals(r.header(EventHeaders.EVENT_TYPE))))
          .hasSize(2);
    }
  }

  /** Publishes the creditor's next creditors.updated event, as webhook-ingest would. */
  private void deliverVerificationEvent(String creditorId) {
    JsonNode event =
        WebhookIngestStandIn.awaitEvent(
            world.simulator,
            e ->
                "creditors".equals(e.get("resource_type").asString())
                    && creditorId.equals(e.get("links").get("creditor").asString())
                    && !delivered.contains(e.get("id").asString()));
    assertThat(event.get("details").get("property").asString()).isEqualTo("verification_status");
    assertThat(event.get("details").get("cause").asString()).isEqualTo("creditor_updated");
    delivered.add(event.get("id").asString());
    ingest.publish(event);
  }
}
