package io.paybridge.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The decoder and the issuer's keys against a real OIDC issuer (mock-oauth2-server): keys fetched
 * at start and kept through an outage, an issuer never reached, and a key rotation.
 */
class IssuerJwtDecoderTest {

  private static final String ISSUER_ID = "paybridge";
  private static final String AUDIENCE = "oauth-service";

  private final int port = freePort();
  private MockOAuth2Server issuer;
  private IssuerKeys keys;

  @AfterEach
  void stop() {
    if (keys != null) {
      keys.stop();
    }
    if (issuer != null) {
      issuer.shutdown();
    }
  }

  @Test
  void tokensAreCheckedWithTheKeysFetchedAtStartEvenWhenTheIssuerIsGoneLater() {
    issuer = started(new MockOAuth2Server());
    var decoder = decoder(Duration.ofSeconds(30));
    String token = token(issuer);

    issuer.shutdown();
    keys.refreshUnlessTriedWithin(Duration.ZERO);

    assertThat(keys.state().failedRefreshes()).isEqualTo(1);
    assertThat(keys.state().lastFailure()).isNotBlank();
    assertThat(keys.state().available()).isTrue();
    assertThat(decoder.decode(token).getSubject()).isEqualTo("user-of-team-a");
  }

  @Test
  void withoutKeysATokenCannotBeCheckedAndSaysSoRatherThanInvalid() {
    // Nothing listens on the issuer's port: keys were never obtained.
    var decoder = decoder(Duration.ofSeconds(30));
    String token = token(new MockOAuth2Server());

    assertThatThrownBy(() -> decoder.decode(token))
        .isInstanceOf(IdentityProviderUnavailableException.class)
        .satisfies(
            e ->
                assertThat(((IdentityProviderUnavailableException) e).retryAfter())
                    .isEqualTo(Duration.ofSeconds(5)));
    assertThat(keys.state().available()).isFalse();

    // Once the issuer is up, the background retry (or the next request) gets the keys.
    issuer = started(new MockOAuth2Server());
    keys.refreshUnlessTriedWithin(Duration.ZERO);
    assertThat(decoder.decode(token(issuer)).getSubject()).isEqualTo("user-of-team-a");
  }

  @Test
  void aRotatedKeyIsFetchedWhenATokenNamesItAndTheRetiredKeyIsRefused() throws Exception {
    issuer = started(new MockOAuth2Server());
    var decoder = decoder(Duration.ZERO);
    String signedWithOldKey = token(issuer);
    assertThat(decoder.decode(signedWithOldKey)).isNotNull();

    rotateKeys();

    assertThat(decoder.decode(token(issuer)).getSubject()).isEqualTo("user-of-team-a");
    assertThat(keys.state().keyIds()).containsExactly(ISSUER_ID + "-2");
    assertThatThrownBy(() -> decoder.decode(signedWithOldKey)).isInstanceOf(BadJwtException.class);
  }

  @Test
  void unknownKeyIdsDoNotMakeTheServiceFetchKeysMoreOftenThanAllowed() throws Exception {
    issuer = started(new MockOAuth2Server());
    var decoder = decoder(Duration.ofHours(1));

    rotateKeys();

    // The keys were fetched at start-up, within the hour: the rotated key is not fetched yet.
    assertThatThrownBy(() -> decoder.decode(token(issuer))).isInstanceOf(BadJwtException.class);
    assertThat(keys.state().keyIds()).containsExactly(ISSUER_ID);
  }

  @Test
  void tokensNotMeantForTheServiceOrNotValidNowAreRefused() {
    issuer = started(new MockOAuth2Server());
    var decoder = decoder(Duration.ofSeconds(30));

    String otherAudience =
        issuer
            .issueToken(ISSUER_ID, "user-of-team-a", "billing-service", Map.of(), 3600)
            .serialize();
    assertThatThrownBy(() -> decoder.decode(otherAudience))
        .isInstanceOf(JwtException.class)
        .hasMessageContaining("aud");
    String otherIssuer =
        issuer.issueToken("someone-else", "user-of-team-a", AUDIENCE, Map.of(), 3600).serialize();
    assertThatThrownBy(() -> decoder.decode(otherIssuer)).isInstanceOf(JwtException.class);
  }

  @Test
  void onlyAsymmetricAlgorithmsMayBeConfigured() {
    for (String algorithm : List.of("HS256", "HS512", "none")) {
      assertThatThrownBy(
              () -> properties("http://issuer.test/x", List.of(algorithm), Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + algorithm + "' is refused");
    }
    assertThat(properties("http://issuer.test/x", List.of("ES256", "PS256"), Duration.ZERO))
        .isNotNull();
  }

  @Test
  void theIssuerAndAudiencesHaveNoDefault() {
    assertThatThrownBy(() -> properties(null, List.of("RS256"), Duration.ZERO))
        .hasMessageContaining("paybridge.security.jwt.issuer-uri is not set");
    assertThatThrownBy(
            () ->
                new JwtProperties(
                    "http://issuer.test/x",
                    List.of(),
                    null,
                    List.of("RS256"),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(5),
                    Duration.ZERO))
        .hasMessageContaining("paybridge.security.jwt.audiences is not set");
  }

  /** The issuer restarts on the same address with a new key under a new key id. */
  private void rotateKeys() throws Exception {
    issuer.shutdown();
    JWK fresh = new RSAKeyGenerator(2048).generate();
    var rotated =
        new KeyProvider(List.of(fresh), JWSAlgorithm.RS256.getName()) {
          @Override
          public JWK signingKey(String issuerId) {
            return new RSAKey.Builder(super.signingKey(issuerId).toRSAKey())
                .keyID(issuerId + "-2")
                .build();
          }
        };
    issuer =
        started(
            new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(rotated))));
  }

  private MockOAuth2Server started(MockOAuth2Server server) {
    server.start(port);
    return server;
  }

  private String issuerUri() {
    return "http://localhost:" + port + "/" + ISSUER_ID;
  }

  /** A team member's token, as the issuer (at our port) issues it. */
  private String token(MockOAuth2Server server) {
    return server
        .issueToken(ISSUER_ID, "user-of-team-a", AUDIENCE, Map.of("team", "team-a"), 3600)
        .serialize();
  }

  private IssuerJwtDecoder decoder(Duration unknownKeyRefetchInterval) {
    var properties = properties(issuerUri(), List.of("RS256"), unknownKeyRefetchInterval);
    keys = new IssuerKeys(properties);
    keys.start();
    return new IssuerJwtDecoder(properties, keys, null);
  }

  private static JwtProperties properties(
      String issuerUri, List<String> algorithms, Duration unknownKeyRefetchInterval) {
    return new JwtProperties(
        issuerUri,
        List.of(AUDIENCE),
        null,
        algorithms,
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        // Generous: a just-started issuer answers its first request slowly on a busy machine, and
        // these tests are about which keys are used, not about timeouts.
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        Duration.ofSeconds(5),
        unknownKeyRefetchInterval);
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
