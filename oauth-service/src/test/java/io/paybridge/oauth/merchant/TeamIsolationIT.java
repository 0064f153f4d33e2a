package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A team sees and touches only its own merchants; callers are who their JWT says. */
class TeamIsolationIT extends IntegrationHarness {

  @Test
  void anotherTeamCannotSeeListOrDisconnectTheMerchant() {
    String merchantId = connectNewMerchant("team-a");

    var read = Http.get(url("/merchants/" + merchantId), world.teamToken("team-b"));
    assertThat(read.status()).isEqualTo(404);
    assertThat(read.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/merchant-not-found");
    assertThat(Http.get(url("/merchants?limit=500"), world.teamToken("team-b")).body())
        .doesNotContain(merchantId);
    assertThat(Http.delete(url("/merchants/" + merchantId), world.teamToken("team-b")).status())
        .isEqualTo(404);

    var own = Http.get(url("/merchants/" + merchantId), world.teamToken("team-a")).json();
    assertThat(own.get("status").asString()).isEqualTo("connected");
  }

  @Test
  void callsWithoutAValidTokenOrTeamAreRefusedAsProblems() {
    var anonymous = Http.get(url("/merchants"), null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
    assertThat(anonymous.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/unauthenticated");
    assertThat(anonymous.json().get("requestId").asString()).isNotBlank();

    // Signed by another issuer's key: not a token of ours.
    String foreign =
        new no.nav.security.mock.oauth2.MockOAuth2Server().issueToken("paybridge").serialize();
    assertThat(Http.get(url("/merchants"), foreign).status()).isEqualTo(401);

    var noTeam = Http.get(url("/merchants"), world.tokenWithoutTeam());
    assertThat(noTeam.status()).isEqualTo(403);
    assertThat(noTeam.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/team-claim-missing");
  }

  @Test
  void theTokenEndpointRefusesCallersWithoutTheServiceScopeAndAuditsThem() {
    String merchantId = connectNewMerchant("team-a");

    var asTeam =
        Http.get(
            url("/internal/merchants/" + merchantId + "/access-token"), world.teamToken("team-a"));
    var asOtherService =
        Http.get(
            url("/internal/merchants/" + merchantId + "/access-token"),
            world.serviceToken("reporting-service", false));
    var anonymous = Http.get(url("/internal/merchants/" + merchantId + "/access-token"), null);

    assertThat(asTeam.status()).isEqualTo(403);
    assertThat(asTeam.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/forbidden");
    assertThat(asTeam.body()).doesNotContain("accessToken");
    assertThat(asOtherService.status()).isEqualTo(403);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(
            jdbc.queryForList(
                "select caller_subject from token_access_audit where merchant_id = ? and outcome = 'forbidden'"
                    + " order by id",
                String.class,
                merchantId))
        .containsExactly("user-of-team-a", "reporting-service");

    var asBilling =
        Http.get(
            url("/internal/merchants/" + merchantId + "/access-token"),
            world.serviceToken("billing-service", true));
    assertThat(asBilling.status()).isEqualTo(200);
    assertThat(asBilling.header("Cache-Control")).contains("no-store");
    assertThat(
            jdbc.queryForObject(
                "select caller_client_id from token_access_audit where merchant_id = ? and outcome = 'granted'",
                String.class,
                merchantId))
        .isEqualTo("billing-service");
  }

  @Test
  void theTokenEndpointServesOnlyTheAllowListedServicesEvenWithTheScope() {
    String merchantId = connectNewMerchant("team-a");
    String path = "/internal/merchants/" + merchantId + "/access-token";

    var notAllowed = Http.get(url(path), world.serviceToken("reporting-service", true));

    assertThat(notAllowed.status()).isEqualTo(403);
    assertThat(notAllowed.header("Content-Type")).startsWith("application/problem+json");
    assertThat(notAllowed.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/forbidden");
    assertThat(notAllowed.body()).doesNotContain("accessToken");
    assertThat(
            jdbc.queryForList(
                "select caller_client_id from token_access_audit where merchant_id = ? and outcome = 'forbidden'",
                String.class,
                merchantId))
        .containsExactly("reporting-service");

    var allowed = Http.get(url(path), world.serviceToken("billing-service", true));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.json().get("accessToken").asString()).isNotBlank();
  }

  @Test
  void webhookIngestServiceReadsMerchantTokensByDefaultWithTheScopeAndIsAudited() {
    String merchantId = connectNewMerchant("team-a");
    String path = "/internal/merchants/" + merchantId + "/access-token";

    var withoutScope = Http.get(url(path), world.serviceToken("webhook-ingest-service", false));
    var recovery = Http.get(url(path), world.serviceToken("webhook-ingest-service", true));
    var unknown = Http.get(url(path), world.serviceToken("unknown-service", true));

    assertThat(withoutScope.status()).isEqualTo(403);
    assertThat(withoutScope.body()).doesNotContain("accessToken");
    assertThat(recovery.status()).isEqualTo(200);
    assertThat(recovery.header("Cache-Control")).contains("no-store");
    assertThat(recovery.json().get("accessToken").asString()).isNotBlank();
    assertThat(unknown.status()).isEqualTo(403);
    assertThat(unknown.body()).doesNotContain("accessToken");
    assertThat(
            jdbc.queryForList(
                "select caller_client_id || ' ' || outcome from token_access_audit"
                    + " where merchant_id = ? order by id",
                String.class,
                merchantId))
        .containsExactly(
            "webhook-ingest-service forbidden",
            "webhook-ingest-service granted",
            "unknown-service forbidden");
  }

  @Test
  void invalidConnectRequestsAreProblems() {
    var response =
        Http.postJson(
            url("/merchant-connections"),
            world.teamToken("team-a"),
            "{\"countryCode\": \"Great Britain\"}");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/invalid-request");
    assertThat(response.json().get("detail").asString()).contains("countryCode");

    for (String query : List.of("limit=0", "limit=501", "offset=-1", "status=bogus")) {
      var list = Http.get(url("/merchants?" + query), world.teamToken("team-a"));
      assertThat(list.status()).as(query).isEqualTo(400);
      assertThat(list.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/invalid-request");
    }
  }
}
