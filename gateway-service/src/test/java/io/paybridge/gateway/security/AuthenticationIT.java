package io.paybridge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.paybridge.gateway.support.Downstream;
import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tokens of the real issuer against the gateway: what is refused (401, 403) never reaches a
 * service; what passes arrives with the caller's token unchanged and without forged identity
 * headers.
 */
class AuthenticationIT extends GatewayHarness {

  private static final String PROBLEMS = "https://paybridge.io/problems/";

  @Test
  void aValidTeamTokenReachesTheServiceWithTheSameTokenAndNoForgedIdentity() {
    String token = teamToken("team-a", "merchants:read");
    var response =
        Http.getWithHeaders(
            url("/merchants/m-team-a"),
            token,
            Map.of(
                "X-Team", "team-b",
                "X-PayBridge-Team", "team-b",
                "X-PayBridge-Internal-Caller", "billing-service",
                "X-User", "root",
                "X-Forwarded-For", "10.9.9.9",
                "X-Request-Id", "req-from-caller-1",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("team").asString()).isEqualTo("team-a");
    assertThat(response.headers().allValues("X-Request-Id")).containsExactly("req-from-caller-1");
    var received = OAUTH.received().getLast();
    assertThat(received.header("Authorization")).isEqualTo("Bearer " + token);
    assertThat(received.header("X-Team")).isNull();
    assertThat(received.header("X-PayBridge-Team")).isNull();
    assertThat(received.header("X-PayBridge-Internal-Caller")).isNull();
    assertThat(received.header("X-User")).isNull();
    // Not the client's claim: the client's address as the gateway saw it (the test runs locally).
    assertThat(received.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(received.header("X-Request-Id")).isEqualTo("req-from-caller-1");
    assertThat(received.header("traceparent"))
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  }

  @Test
  void aRequestWithoutTraceContextOrRequestIdGetsBothAndTheServiceSeesTheSame() {
    var response = Http.get(url("/merchants/m-team-a"), teamToken("team-a", "merchants:read"));

    assertThat(response.status()).isEqualTo(200);
    var received = OAUTH.received().getLast();
    assertThat(received.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(received.header("X-Request-Id"))
        .isEqualTo(response.header("X-Request-Id"))
        .isNotBlank();
  }

  @Test
  void anotherTeamsMerchantIsNotFoundAsTheServiceAnswers() {
    var response = Http.get(url("/merchants/m-team-b"), teamToken("team-a", "merchants:read"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().path("type").asString()).isEqualTo(PROBLEMS + "merchant-not-found");
    assertThat(OAUTH.received()).hasSize(1);
  }

  @Test
  void noTokenIs401ProblemAndNeverReachesTheService() {
    var response = Http.get(url("/merchants"), null);

    assertUnauthenticated(response);
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void aForgedSignatureIs401() throws Exception {
    String kid = SignedJWT.parse(teamToken("team-a", "merchants:read")).getHeader().getKeyID();
    var forger = new RSAKeyGenerator(2048).keyID(kid).generate();
    var jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(),
            teamClaims().build());
    jwt.sign(new RSASSASigner(forger));

    assertUnauthenticated(Http.get(url("/merchants"), jwt.serialize()));
  }

  @Test
  void anUnsignedTokenAlgNoneIs401() {
    String unsigned = new PlainJWT(teamClaims().build()).serialize();

    assertThat(unsigned).startsWith("eyJhbGciOiJub25lIn0.");
    assertUnauthenticated(Http.get(url("/merchants"), unsigned));
  }

  @Test
  void anExpiredTokenIs401() {
    long now = System.currentTimeMillis();
    String expired =
        ISSUER.signedByTheIssuer(
            teamClaims()
                .issueTime(new Date(now - 3_600_000))
                .notBeforeTime(new Date(now - 3_600_000))
                // Beyond the 30 s clock skew.
                .expirationTime(new Date(now - 120_000))
                .build());

    assertUnauthenticated(Http.get(url("/merchants"), expired));
  }

  @Test
  void anotherIssuerIs401EvenSignedWithTheRightKey() {
    String foreign =
        ISSUER.signedByTheIssuer(teamClaims().issuer("https://issuer.example.com/other").build());

    assertUnauthenticated(Http.get(url("/merchants"), foreign));
  }

  @Test
  void aTokenForAnotherAudienceIs401() {
    String forOauthOnly = ISSUER.teamToken("team-a", "oauth-service", "merchants:read");

    assertUnauthenticated(Http.get(url("/merchants"), forOauthOnly));
  }

  @Test
  void aMissingScopeIs403NamingTheScope() {
    var write =
        Http.postJson(
            url("/merchant-connections"),
            teamToken("team-a", "merchants:read"),
            "{\"companyName\":\"Acme\"}");
    var otherService = Http.get(url("/payments"), teamToken("team-a", "merchants:read"));

    assertThat(write.status()).isEqualTo(403);
    assertThat(write.header("Content-Type")).startsWith("application/problem+json");
    assertThat(write.json().path("type").asString()).isEqualTo(PROBLEMS + "insufficient-scope");
    assertThat(write.json().path("detail").asString()).contains("merchants:write");
    assertThat(write.json().path("requestId").asString()).isNotBlank();
    assertThat(otherService.status()).isEqualTo(403);
    assertThat(otherService.json().path("detail").asString()).contains("payments:read");
    assertThat(OAUTH.received()).isEmpty();
    assertThat(BILLING.received()).isEmpty();
  }

  @Test
  void aTokenWithoutTeamIs403() {
    String serviceToken = ISSUER.serviceToken("billing-service", API, "merchants:read");

    var response = Http.get(url("/merchants"), serviceToken);

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.json().path("type").asString()).isEqualTo(PROBLEMS + "team-claim-missing");
    assertThat(OAUTH.received()).isEmpty();
  }

  @Test
  void analyticsGoesToBillingServiceWithThePaymentsReadScope() {
    var analytics =
        Http.get(url("/analytics/outcomes?period=week"), teamToken("team-a", "payments:read"));
    var withoutScope =
        Http.get(url("/analytics/outcomes"), teamToken("team-a", "notifications:read"));

    assertThat(analytics.json().path("service").asString()).isEqualTo("billing-service");
    assertThat(BILLING.received().getLast().query()).isEqualTo("period=week");
    assertThat(withoutScope.status()).isEqualTo(403);
    assertThat(withoutScope.json().path("detail").asString()).contains("payments:read");
  }

  @Test
  void eachRouteGoesToItsService() {
    String token = teamToken("team-a", "payments:read", "payments:write", "notifications:read");

    var payment = Http.get(url("/payments/PM123"), token);
    var created = Http.postJson(url("/billing-requests"), token, "{\"merchantId\":\"m\"}");
    var deliveries = Http.get(url("/notifications/deliveries?status=failed"), token);

    assertThat(payment.json().path("service").asString()).isEqualTo("billing-service");
    assertThat(created.json().path("method").asString()).isEqualTo("POST");
    assertThat(BILLING.received().getLast().body()).isEqualTo("{\"merchantId\":\"m\"}".getBytes());
    assertThat(deliveries.json().path("service").asString()).isEqualTo("notification-service");
    assertThat(NOTIFICATION.received().getLast().query()).isEqualTo("status=failed");
  }

  @Test
  void recoveriesGoToWebhookIngestForOperatorsWithTheirScope() {
    String body =
        "{\"organisationId\":\"OR1\",\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-02T00:00:00Z\"}";
    int before = WEBHOOK_INGEST.received().size();

    var readerStarting =
        Http.postJson(url("/operations/recoveries"), teamToken("ops", "operations:read"), body);
    var started =
        Http.postJson(url("/operations/recoveries"), teamToken("ops", "operations:write"), body);
    var listed =
        Http.get(url("/operations/recoveries?limit=5"), teamToken("ops", "operations:read"));

    assertThat(readerStarting.status()).isEqualTo(403);
    assertThat(readerStarting.json().path("detail").asString()).contains("operations:write");
    assertThat(started.json().path("service").asString()).isEqualTo("webhook-ingest-service");
    assertThat(listed.json().path("service").asString()).isEqualTo("webhook-ingest-service");
    var received = WEBHOOK_INGEST.received().subList(before, WEBHOOK_INGEST.received().size());
    assertThat(received).extracting(Downstream.Received::method).containsExactly("POST", "GET");
    assertThat(received.getFirst().path()).isEqualTo("/operations/recoveries");
    assertThat(received.getFirst().body()).isEqualTo(body.getBytes());
  }

  @Test
  void smartRetryPathsGoToBillingServiceWithThePaymentsScopes() {
    String reader = teamToken("team-a", "payments:read");

    var policy = Http.get(url("/retry-policies/m1"), reader);
    var decisions = Http.get(url("/retry-decisions?paymentId=PM1"), reader);
    var change = Http.putJson(url("/retry-policies/m1"), reader, "{\"enabled\":true}");

    assertThat(policy.json().path("service").asString()).isEqualTo("billing-service");
    assertThat(decisions.json().path("service").asString()).isEqualTo("billing-service");
    assertThat(BILLING.received().getLast().query()).isEqualTo("paymentId=PM1");
    assertThat(change.status()).isEqualTo(403);
    assertThat(change.json().path("detail").asString()).contains("payments:write");
  }

  @Test
  void internalPathsAreNeverRoutedWhateverTheToken() {
    String everything =
        ISSUER.token(
            "billing-service",
            API,
            Map.of(
                "team", "team-a",
                "client_id", "billing-service",
                "scope", "merchant-tokens:read merchants:read merchants:write operations:read"));

    var direct = Http.get(url("/internal/merchants/m-team-a/access-token"), everything);
    var anonymous = Http.get(url("/internal/merchants/m-team-a/access-token"), null);
    var dotted =
        Http.get(url("/merchants/%2e%2e/internal/merchants/m-team-a/access-token"), everything);
    var encodedSlash =
        Http.get(url("/merchants%2f..%2finternal/merchants/m-team-a/access-token"), everything);

    assertThat(direct.status()).isEqualTo(404);
    assertThat(direct.json().path("type").asString()).isEqualTo(PROBLEMS + "not-found");
    assertThat(anonymous.status()).isEqualTo(404);
    // Spring Security's firewall: encoded dots and slashes are refused before any routing.
    assertThat(dotted.status()).isEqualTo(400);
    assertThat(encodedSlash.status()).isEqualTo(400);
    assertThat(OAUTH.received()).isEmpty();
  }

  @Test
  void anUnknownPathIs404ProblemForATeam() {
    var response = Http.get(url("/no-such-thing"), teamToken("team-a"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().path("type").asString()).isEqualTo(PROBLEMS + "not-found");
  }

  @Test
  void theOAuthCallbackIsPublicAndKeepsItsQuery() {
    var response = Http.get(url("/oauth/callback?code=c0de&state=st4te"), null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("<p>Connected</p>");
    var received = OAUTH.received().getLast();
    assertThat(received.path()).isEqualTo("/oauth/callback");
    assertThat(received.query()).isEqualTo("code=c0de&state=st4te");
  }

  @Test
  void theProbesAnswerOnTheManagementPortWithoutATokenAndActuatorIsNotOnThePublicPort() {
    Http.get(url("/merchants/m-team-a"), teamToken("team-a", "merchants:read")); // a routed call
    var readiness = Http.get(managementUrl("/actuator/health/readiness"), null);
    var prometheus = Http.get(managementUrl("/actuator/prometheus"), null);
    var onPublicPort = Http.get(url("/actuator/health"), null);

    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.body()).contains("UP");
    assertThat(prometheus.status()).isEqualTo(200);
    assertThat(prometheus.body())
        .contains("resilience4j_circuitbreaker_state", "http_server_requests_seconds");
    assertThat(onPublicPort.status()).isEqualTo(404);
  }

  private void assertUnauthenticated(Http.Response response) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().path("type").asString()).isEqualTo(PROBLEMS + "unauthenticated");
    assertThat(response.json().path("requestId").asString()).isNotBlank();
    assertThat(OAUTH.received()).isEmpty();
  }

  private static JWTClaimsSet.Builder teamClaims() {
    return ISSUER
        .claims("user-of-team-a", List.of(API))
        .claim("team", "team-a")
        .claim("scope", "merchants:read");
  }
}
