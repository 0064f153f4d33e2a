package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A leaked connect link used by someone else: what GoCardless returns differs from what the team
 * expected, so the connection is held for the team's review and no token leaves before it.
 */
class ConnectReviewIT extends IntegrationHarness {

  private static final String EXPECTING_YOGA =
      """
      {"email": "owner@yoga.test", "companyName": "Yoga Ltd", "countryCode": "GB"}
      """;

  @Test
  void anotherOrganisationIsHeldForReviewAndItsTokenIsReleasedOnlyWhenTheTeamConfirms() {
    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      var started = startConnection("team-a", EXPECTING_YOGA).json();
      String merchantId = started.get("merchantId").asString();

      String callback =
          consent(
              started.get("authorisationUrl").asString(),
              null,
              "Mallory Trading",
              "mallory@elsewhere.test",
              true);
      var back = Http.get(callback, null);

      assertThat(back.status()).isEqualTo(303);
      assertThat(Http.query(back.location()))
          .containsEntry("merchant_id", merchantId)
          .containsEntry("outcome", "needs_review");
      var held = viewExpectingOk("team-a", merchantId);
      assertThat(held.get("status").asString()).isEqualTo("needs_review");
      assertThat(held.get("organisationId").asString()).startsWith("OR");
      assertThat(held.has("verificationUrl")).isFalse();
      assertThat(mismatches(held))
          .containsEntry("companyName", "Yoga Ltd -> Mallory Trading")
          .containsEntry("email", "owner@yoga.test -> mallory@elsewhere.test");
      assertThat(Http.get(url("/merchants?status=needs_review"), world.teamToken("team-a")).json())
          .extracting(m -> m.get("id").asString())
          .contains(merchantId);

      // Stored (encrypted) but not handed out, and not announced.
      assertThat(tokenRows(merchantId)).isEqualTo(1);
      var refused = tokenRequest(merchantId);
      assertThat(refused.status()).isEqualTo(404);
      assertThat(refused.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/merchant-not-connected");
      assertThat(publishedSoFar(kafka, connectedEvent(merchantId))).isEmpty();

      // Another team cannot confirm it.
      var foreign =
          Http.postJson(
              url("/merchants/" + merchantId + "/confirmation"), world.teamToken("team-b"), null);
      assertThat(foreign.status()).isEqualTo(404);
      assertThat(foreign.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/merchant-not-found");

      var confirmed =
          Http.postJson(
              url("/merchants/" + merchantId + "/confirmation"), world.teamToken("team-a"), null);

      assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
      assertThat(confirmed.json().get("status").asString()).isEqualTo("connected");
      assertThat(confirmed.json().get("review").get("reviewedBy").asString())
          .isEqualTo("user-of-team-a");
      kafka.await(connectedEvent(merchantId)).hasHeader(EventHeaders.TENANT, "team-a");
      // One fact only, published at confirmation: an earlier one would have come first (same key).
      assertThat(kafka.received()).filteredOn(connectedEvent(merchantId)).hasSize(1);
      var token = tokenRequest(merchantId);
      assertThat(token.status()).isEqualTo(200);
      assertThat(creditorsStatus(token.json().get("accessToken").asString())).isEqualTo(200);

      // Confirming again changes nothing.
      var again =
          Http.postJson(
              url("/merchants/" + merchantId + "/confirmation"), world.teamToken("team-a"), null);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().get("status").asString()).isEqualTo("connected");
    }
  }

  @Test
  void aRejectedReviewRevokesTheTokenAtGoCardlessAndForgetsIt() {
    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      var started = startConnection("team-b", "{\"companyName\": \"Yoga Ltd\"}").json();
      String merchantId = started.get("merchantId").asString();
      String callback =
          consent(
              started.get("authorisationUrl").asString(),
              null,
              "Not Yoga At All Ltd",
              "someone@else.test",
              true);
      assertThat(Http.query(Http.get(callback, null).location()))
          .containsEntry("outcome", "needs_review");
      String issued = accessTokenIssued();
      var held = viewExpectingOk("team-b", merchantId);
      // Only what differs is kept: the team gave no email, so none is compared or shown.
      assertThat(mismatches(held)).containsOnlyKeys("companyName");

      var rejected = Http.delete(url("/merchants/" + merchantId), world.teamToken("team-b"));

      assertThat(rejected.status()).isEqualTo(200);
      assertThat(rejected.json().get("status").asString()).isEqualTo("failed");
      assertThat(rejected.json().get("failureReason").asString()).isEqualTo("rejected_by_team");
      assertThat(tokenRows(merchantId)).isZero();
      assertThat(creditorsStatus(issued)).isEqualTo(401);
      assertThat(tokenRequest(merchantId).status()).isEqualTo(404);
      assertThat(publishedSoFar(kafka, r -> merchantId.equals(r.key()))).isEmpty();
      var late =
          Http.postJson(
              url("/merchants/" + merchantId + "/confirmation"), world.teamToken("team-b"), null);
      assertThat(late.status()).isEqualTo(409);
      assertThat(late.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/merchant-not-in-review");
    }
  }

  @Test
  void aHeldConnectionIsConfirmedOnlyWhileGoCardlessStillAcceptsItsToken() {
    var started = startConnection("team-a", EXPECTING_YOGA).json();
    String merchantId = started.get("merchantId").asString();
    String callback =
        consent(
            started.get("authorisationUrl").asString(), null, "Other Ltd", "x@other.test", true);
    assertThat(Http.query(Http.get(callback, null).location()))
        .containsEntry("outcome", "needs_review");
    String confirmation = url("/merchants/" + merchantId + "/confirmation");

    // GoCardless unreachable: nothing is decided, the team can try again.
    world.gocardless.down(true);
    Http.Response unavailable;
    try {
      unavailable = Http.postJson(confirmation, world.teamToken("team-a"), null);
    } finally {
      world.gocardless.down(false);
    }
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/gocardless-unavailable");
    assertThat(viewExpectingOk("team-a", merchantId).get("status").asString())
        .isEqualTo("needs_review");

    // The merchant revoked the app during the review: there is nothing left to confirm.
    world.simulator.disconnect(
        viewExpectingOk("team-a", merchantId).get("organisationId").asString());
    var confirmed = Http.postJson(confirmation, world.teamToken("team-a"), null);

    assertThat(confirmed.status()).isEqualTo(200);
    assertThat(confirmed.json().get("status").asString()).isEqualTo("failed");
    assertThat(confirmed.json().get("failureReason").asString()).isEqualTo("revoked_by_merchant");
    assertThat(tokenRows(merchantId)).isZero();
    assertThat(tokenRequest(merchantId).status()).isEqualTo(404);
  }

  @Test
  void namesAndEmailsThatDifferOnlyInFormConnectAtOnce() {
    var started =
        startConnection(
                "team-a",
                """
                {"email": "Owner@Yoga.TEST", "companyName": "Yoga Studio Ltd"}
                """)
            .json();
    String merchantId = started.get("merchantId").asString();

    String callback =
        consent(
            started.get("authorisationUrl").asString(),
            null,
            "  YOGA-STUDIO, Limited. ",
            "owner@yoga.test",
            true);

    assertThat(Http.query(Http.get(callback, null).location()))
        .containsEntry("outcome", "connected");
    var merchant = viewExpectingOk("team-a", merchantId);
    assertThat(merchant.get("status").asString()).isEqualTo("connected");
    assertThat(merchant.has("review")).isFalse();
    assertThat(tokenRequest(merchantId).status()).isEqualTo(200);
  }

  @Test
  void aMerchantThatIsNotHeldCannotBeConfirmed() {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();

    var pending =
        Http.postJson(
            url("/merchants/" + merchantId + "/confirmation"), world.teamToken("team-a"), null);

    assertThat(pending.status()).isEqualTo(409);
    assertThat(pending.header("Content-Type")).startsWith("application/problem+json");
    assertThat(pending.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/merchant-not-in-review");
    assertThat(viewExpectingOk("team-a", merchantId).get("status").asString()).isEqualTo("pending");
  }

  private String accessTokenIssued() {
    return Http.json(world.gocardless.lastResponseBody("/oauth/access_token"))
        .get("access_token")
        .asString();
  }

  private static java.util.function.Predicate<KafkaTestConsumer.Received> connectedEvent(
      String merchantId) {
    return r ->
        merchantId.equals(r.key()) && "MerchantConnected".equals(r.header(EventHeaders.EVENT_TYPE));
  }

  /** field → "expected -> received". */
  private static Map<String, String> mismatches(JsonNode merchant) {
    var result = new java.util.LinkedHashMap<String, String>();
    merchant
        .get("review")
        .get("mismatches")
        .forEach(
            m ->
                result.put(
                    m.get("field").asString(),
                    m.get("expected").asString() + " -> " + m.get("received").asString()));
    return result;
  }

  private JsonNode viewExpectingOk(String team, String merchantId) {
    var response = Http.get(url("/merchants/" + merchantId), world.teamToken(team));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private Http.Response tokenRequest(String merchantId) {
    return Http.get(
        url("/internal/merchants/" + merchantId + "/access-token"),
        world.serviceToken("billing-service", true));
  }
}
