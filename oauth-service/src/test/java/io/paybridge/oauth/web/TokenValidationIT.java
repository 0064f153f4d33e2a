package io.paybridge.oauth.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.oauth.support.TestWorld;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Only tokens meant for this service, signed by the issuer's own keys and still valid, get in; and
 * the issuer being slow or down after start-up does not lock callers out.
 */
class TokenValidationIT extends IntegrationHarness {

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    var response =
        Http.get(url("/merchants"), world.teamTokenFor("team-a", "notification-service"));

    assertUnauthenticated(response);
  }

  @Test
  void aTokenWithoutAudienceIsRefused() {
    String token = world.signedByTheIssuer(claims().build());

    assertUnauthenticated(Http.get(url("/merchants"), token));
  }

  @Test
  void aTokenSignedWithASharedSecretIsRefusedWhateverItSays() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    var claims = claims().audience(TestWorld.AUDIENCE).build();
    var jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(TestIssuer.ISSUER_ID).build(), claims);
    jwt.sign(new MACSigner(secret));

    assertUnauthenticated(Http.get(url("/merchants"), jwt.serialize()));
  }

  @Test
  void aTokenExpiredLongerAgoThanTheClockSkewIsRefused() {
    Instant now = Instant.now();
    var expired45SecondsAgo =
        claims()
            .audience(TestWorld.AUDIENCE)
            .issueTime(Date.from(now.minusSeconds(3600)))
            .expirationTime(Date.from(now.minusSeconds(45)))
            .build();
    var expired5SecondsAgo =
        claims()
            .audience(TestWorld.AUDIENCE)
            .issueTime(Date.from(now.minusSeconds(3600)))
            .expirationTime(Date.from(now.minusSeconds(5)))
            .build();

    // 30 s of skew are allowed (issuer and service clocks differ a little), not more.
    assertUnauthenticated(
        Http.get(url("/merchants"), world.signedByTheIssuer(expired45SecondsAgo)));
    assertThat(Http.get(url("/merchants"), world.signedByTheIssuer(expired5SecondsAgo)).status())
        .isEqualTo(200);
  }

  @Test
  void requestsGoOnWithTheCachedKeysWhileTheIssuerIsDownOrSlow() {
    String token = world.teamToken("team-a");
    try {
      world.identityProvider.down(true);
      awaitFailedKeyRefreshes(1);
      assertThat(Http.get(url("/merchants"), token).status()).isEqualTo(200);

      world.identityProvider.down(false);
      world.identityProvider.delay(Duration.ofSeconds(10));
      // Two more: at least one of them timed out on the slow issuer.
      awaitFailedKeyRefreshes(2);
      long started = System.nanoTime();
      var response = Http.get(url("/merchants"), token);
      assertThat(response.status()).isEqualTo(200);
      // Answered from the cache, not after waiting for the slow issuer.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(Http.get(managementUrl("/actuator/health/readiness"), null).status())
          .isEqualTo(200);
    } finally {
      world.identityProvider.delay(Duration.ZERO);
      world.identityProvider.down(false);
    }
  }

  /** A team member's claims from our issuer, valid for an hour, without audience. */
  private static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(world.issuerUri())
        .subject("user-of-team-a")
        .claim("team", "team-a")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(3600)));
  }

  /**
   * Waits until the health endpoint reports {@code count} more failed refreshes of the issuer's
   * keys than now.
   */
  private void awaitFailedKeyRefreshes(int count) {
    long before = failedKeyRefreshes();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> failedKeyRefreshes() >= before + count);
  }

  private long failedKeyRefreshes() {
    var health = Http.get(managementUrl("/actuator/health"), world.operationsToken()).json();
    return health
        .path("components")
        .path("jwtKeys")
        .path("details")
        .path("failedRefreshes")
        .asLong(-1);
  }

  private static void assertUnauthenticated(Http.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(401);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/unauthenticated");
  }
}
