package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ConnectJourneyIT extends IntegrationHarness {

  @Autowired ConnectProperties connectProperties;
  @Autowired MerchantRepository merchants;

  @Test
  void connectsANewMerchantStoresItsTokenEncryptedAndPublishesMerchantConnected() {
    try (var kafka = KafkaTestConsumer.fromNow(Topics.MERCHANTS_CONNECTION)) {
      var started =
          startConnection(
                  "team-a",
                  """
                  {"email": "owner@yoga.test", "companyName": "Yoga Ltd", "countryCode": "GB",
                   "initialView": "signup"}
                  """)
              .json();
      String merchantId = started.get("merchantId").asString();
      assertThat(started.get("status").asString()).isEqualTo("pending");
      String authorisationUrl = started.get("authorisationUrl").asString();
      var authorise = Http.query(authorisationUrl);
      assertThat(authorisationUrl).startsWith(world.gocardless.url() + "/oauth/authorize?");
      assertThat(authorise)
          .containsEntry("response_type", "code")
          .containsEntry("client_id", "paybridge-simulator-client")
          .containsEntry("scope", "read_write")
          .containsEntry("initial_view", "signup")
          .containsEntry("prefill[email]", "owner@yoga.test")
          .containsEntry("prefill[organisation_name]", "Yoga Ltd")
          .containsEntry("prefill[country_code]", "GB");
      assertThat(authorise.get("state")).hasSizeGreaterThan(60);

      var pending = Http.get(url("/merchants/" + merchantId), world.teamToken("team-a")).json();
      assertThat(pending.get("status").asString()).isEqualTo("pending");

      String callback = consent(authorisationUrl, null, true);
      var back = Http.get(callback, null);

      assertThat(back.status()).isEqualTo(303);
      assertThat(back.location()).startsWith("https://team-a.test/gocardless/connected?");
      assertThat(Http.query(back.location()))
          .containsEntry("merchant_id", merchantId)
          .containsEntry("outcome", "connected");

      // New organisations start with verification action_required: the team gets the link.
      var merchant = Http.get(url("/merchants/" + merchantId), world.teamToken("team-a")).json();
      assertThat(merchant.get("status").asString()).isEqualTo("connected");
      assertThat(merchant.get("organisationId").asString()).startsWith("OR");
      assertThat(merchant.get("creditorId").asString()).startsWith("CR");
      assertThat(merchant.get("verificationStatus").asString()).isEqualTo("action_required");
      assertThat(merchant.get("verificationUrl").asString())
          .isEqualTo(world.verificationUrl(merchant.get("organisationId").asString()));
      String organisationId = merchant.get("organisationId").asString();

      var listed = Http.get(url("/merchants?status=connected"), world.teamToken("team-a")).json();
      assertThat(listed.valueStream().map(m -> m.get("id").asString())).contains(merchantId);

      var connected =
          kafka
              .await(
                  r ->
                      merchantId.equals(r.key())
                          && "MerchantConnected".equals(r.header(EventHeaders.EVENT_TYPE)))
              .hasHeader(EventHeaders.TENANT, "team-a")
              .hasHeader(EventHeaders.ORGANISATION_ID, organisationId)
              .hasHeader("ce_type", "MerchantConnected");
      assertThat(connected.value())
          .contains("\"merchantId\":\"" + merchantId + "\"")
          .contains("\"team\":\"team-a\"")
          .contains("\"organisationId\":\"" + organisationId + "\"")
          .contains("\"verificationStatus\":\"action_required\"");

      // Only a service with the token scope obtains the token, and it is the one GoCardless issued.
      var token =
          Http.get(
                  url("/internal/merchants/" + merchantId + "/access-token"),
                  world.serviceToken("billing-service", true))
              .json();
      String accessToken = token.get("accessToken").asString();
      assertThat(token.get("organisationId").asString()).isEqualTo(organisationId);
      assertThat(creditorsStatus(accessToken)).isEqualTo(200);

      // At rest it is encrypted under the active key, bound to the merchant.
      String stored =
          jdbc.queryForObject(
              "select ciphertext from merchant_token where merchant_id = ?",
              String.class,
              merchantId);
      assertThat(stored).startsWith("v1.test-2026.").doesNotContain(accessToken);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from merchant m join merchant_token t on t.merchant_id = m.id"
                      + " where m.id = ? and (m::text like ? or t::text like ?)",
                  Integer.class,
                  merchantId,
                  "%" + accessToken + "%",
                  "%" + accessToken + "%"))
          .isZero();
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from token_access_audit where merchant_id = ? and outcome = 'granted'"
                      + " and caller_subject = 'billing-service'",
                  Integer.class,
                  merchantId))
          .isEqualTo(1);

      // The platform's audit log, as operators read it: the connection and the token read, with
      // who did them; the token itself in no audit row.
      var audit =
          Http.get(url("/operations/audit?limit=1000"), world.operationsToken())
              .json()
              .get("entries");
      var ours =
          audit.valueStream().filter(e -> merchantId.equals(e.get("target").asString())).toList();
      assertThat(ours)
          .anySatisfy(
              e -> {
                assertThat(e.get("action").asString()).isEqualTo("merchant-token.read");
                assertThat(e.get("actor").asString()).isEqualTo("client:billing-service");
                assertThat(e.get("detail").get("outcome").asString()).isEqualTo("granted");
                assertThat(e.get("service").asString()).isEqualTo("oauth-service");
              })
          .anySatisfy(
              e -> {
                assertThat(e.get("action").asString()).isEqualTo("merchant.connected");
                assertThat(e.get("detail").get("team").asString()).isEqualTo("team-a");
                assertThat(e.get("detail").get("organisationId").asString())
                    .isEqualTo(organisationId);
              });
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from audit_entry where audit_entry::text like ?",
                  Integer.class,
                  "%" + accessToken + "%"))
          .isZero();

      // Not in the team's view, not on the topic (SecretsNeverLeakIT searches logs, responses,
      // topics and tables for every secret across the whole journey).
      assertThat(merchant.toString()).doesNotContain(accessToken);
      assertThat(kafka.received()).noneMatch(r -> r.value().contains(accessToken));
    }
  }

  @Test
  void consentRefusedFailsTheConnectionWithTheReason() {
    var started = startConnection("team-b", null).json();
    String merchantId = started.get("merchantId").asString();

    String callback = consent(started.get("authorisationUrl").asString(), null, false);
    assertThat(Http.query(callback)).containsEntry("error", "access_denied");
    var back = Http.get(callback, null);

    assertThat(back.status()).isEqualTo(303);
    assertThat(back.location()).startsWith("https://team-b.test/merchants/return?");
    assertThat(Http.query(back.location()))
        .containsEntry("merchant_id", merchantId)
        .containsEntry("outcome", "failed")
        .containsEntry("reason", "access_denied");
    var merchant = Http.get(url("/merchants/" + merchantId), world.teamToken("team-b")).json();
    assertThat(merchant.get("status").asString()).isEqualTo("failed");
    assertThat(merchant.get("failureReason").asString()).isEqualTo("access_denied");
    assertThat(tokenRows(merchantId)).isZero();
  }

  @Test
  void aReplayedCallbackIsRefusedRecordedAndTheCodeIsNotExchangedAgain() {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);
    assertThat(Http.get(callback, null).status()).isEqualTo(303);
    String accessToken = token(merchantId);

    var replay = Http.get(callback, null);

    assertThat(replay.status()).isEqualTo(400);
    assertThat(replay.header("Content-Type")).startsWith("application/problem+json");
    var problem = replay.json();
    assertThat(problem.get("type").asString())
        .isEqualTo("https://paybridge.io/problems/invalid-oauth-state");
    assertThat(problem.get("requestId").asString()).isNotBlank();
    assertThat(rejections(merchantId, "replayed")).isEqualTo(1);
    // A second exchange of a code makes GoCardless revoke the token: it still works, so none ran.
    assertThat(creditorsStatus(accessToken)).isEqualTo(200);
    assertThat(statusOf("team-a", merchantId)).isEqualTo("connected");
  }

  @Test
  void aForgedStateIsRefusedAndTheGenuineOneStillWorks() {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);
    var params = Http.query(callback);
    String state = params.get("state");
    String forged = state.substring(0, state.length() - 2) + (state.endsWith("AA") ? "BB" : "AA");

    var refused =
        Http.get(
            url("/oauth/callback?code=" + params.get("code") + "&state=" + Http.encode(forged)),
            null);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(rejections(null, "forged")).isPositive();
    // Signed by another environment's key: forged too.
    var otherKey = new ConnectionState("b3RoZXItZW52aXJvbm1lbnQta2V5LW5vdC1vdXJzLTEyMzQ1Njc4OTA=");
    var foreignIssued =
        otherKey.issue(merchantId, "team-a", Instant.now().plusSeconds(600)).state();
    assertThat(
            Http.get(url("/oauth/callback?code=x&state=" + Http.encode(foreignIssued)), null)
                .status())
        .isEqualTo(400);
    assertThat(statusOf("team-a", merchantId)).isEqualTo("pending");

    assertThat(Http.get(callback, null).status()).isEqualTo(303);
    assertThat(statusOf("team-a", merchantId)).isEqualTo("connected");
  }

  @Test
  void aStateBoundToAnotherTeamOrConnectionIsRefusedAsForeign() {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();
    var ourKey = new ConnectionState(connectProperties.stateSigningKey());
    // Well signed, but claiming team-b for team-a's connection, with a nonce never issued for it.
    String claimsOtherTeam =
        ourKey.issue(merchantId, "team-b", Instant.now().plusSeconds(600)).state();

    var refused =
        Http.get(url("/oauth/callback?code=x&state=" + Http.encode(claimsOtherTeam)), null);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(rejections(merchantId, "foreign")).isEqualTo(1);
    assertThat(statusOf("team-a", merchantId)).isEqualTo("pending");
  }

  @Test
  void anExpiredStateIsRefusedAndItsConnectionFails() {
    var state = new ConnectionState(connectProperties.stateSigningKey());
    String merchantId = UUID.randomUUID().toString();
    Instant expired = Instant.now().minusSeconds(1);
    var issued = state.issue(merchantId, "team-a", expired);
    merchants.insertPending(
        merchantId, "team-a", issued.nonceHash(), expired, new MerchantExpectations(null, null));

    var refused =
        Http.get(url("/oauth/callback?code=x&state=" + Http.encode(issued.state())), null);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(rejections(merchantId, "expired")).isEqualTo(1);
    var merchant = Http.get(url("/merchants/" + merchantId), world.teamToken("team-a")).json();
    assertThat(merchant.get("status").asString()).isEqualTo("failed");
    assertThat(merchant.get("failureReason").asString()).isEqualTo("connection_expired");
  }

  @Test
  void goCardlessDownDuringTheExchangeFailsTheConnectionWithoutAToken() {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);

    world.gocardless.down(true);
    Http.Response back;
    try {
      back = Http.get(callback, null);
    } finally {
      world.gocardless.down(false);
    }

    assertThat(back.status()).isEqualTo(303);
    assertThat(Http.query(back.location()))
        .containsEntry("outcome", "failed")
        .containsEntry("reason", "gocardless_unavailable");
    assertThat(statusOf("team-a", merchantId)).isEqualTo("failed");
    assertThat(tokenRows(merchantId)).isZero();
    // The link is used up: the merchant's browser cannot retry the same exchange.
    assertThat(Http.get(callback, null).status()).isEqualTo(400);
  }

  private int rejections(String merchantId, String reason) {
    if (merchantId == null) {
      return jdbc.queryForObject(
          "select count(*) from oauth_callback_rejection where reason = ?", Integer.class, reason);
    }
    return jdbc.queryForObject(
        "select count(*) from oauth_callback_rejection where merchant_id = ? and reason = ?",
        Integer.class,
        merchantId,
        reason);
  }
}
