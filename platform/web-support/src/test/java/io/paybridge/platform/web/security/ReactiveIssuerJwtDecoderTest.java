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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The reactive decoder's memory of verified tokens, against a real OIDC issuer
 * (mock-oauth2-server): a remembered token is still refused once it expires, once the key that
 * signed it is withdrawn, and a token that differs in its signature is never taken for a remembered
 * one.
 */
class ReactiveIssuerJwtDecoderTest {

  private static final String ISSUER_ID = "paybridge";
  private static final String AUDIENCE = "paybridge-api";

  private final int port = freePort();
  private final MovableClock clock = new MovableClock();
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
  void aRememberedTokenIsRefusedOnceItHasExpired() {
    issuer = started(new MockOAuth2Server());
    var decoder = decoder();
    String token = token(60);

    assertThat(decoder.decode(token).block().getClaimAsString("team")).isEqualTo("team-a");
    assertThat(decoder.decode(token).block().getClaimAsString("team")).isEqualTo("team-a");
    assertThat(decoder.remembered()).isEqualTo(1);

    // 60 s of lifetime plus the 30 s of allowed skew, and one more second.
    clock.advance(Duration.ofSeconds(91));

    assertThatThrownBy(() -> decoder.decode(token).block())
        .isInstanceOf(JwtException.class)
        .hasMessageContaining("expired");
    assertThat(decoder.remembered()).isZero();
  }

  @Test
  void aRememberedTokenIsRefusedOnceItsKeyIsWithdrawn() throws Exception {
    issuer = started(new MockOAuth2Server());
    var decoder = decoder();
    String signedWithOldKey = token(3600);
    assertThat(decoder.decode(signedWithOldKey).block()).isNotNull();
    assertThat(decoder.remembered()).isEqualTo(1);

    rotateKeys();
    keys.refreshUnlessTriedWithin(Duration.ZERO);

    assertThat(keys.state().keyIds()).containsExactly(ISSUER_ID + "-2");
    assertThatThrownBy(() -> decoder.decode(signedWithOldKey).block())
        .isInstanceOf(JwtException.class);
  }

  @Test
  void aTokenWithAnotherSignatureIsCheckedOnItsOwn() {
    issuer = started(new MockOAuth2Server());
    var decoder = decoder();
    String token = token(3600);
    assertThat(decoder.decode(token).block()).isNotNull();

    // Same header and claims as the remembered token, a signature that is not the issuer's.
    String signature = token.substring(token.lastIndexOf('.') + 1);
    char flipped = signature.charAt(10) == 'A' ? 'B' : 'A';
    String forged =
        token.substring(0, token.lastIndexOf('.') + 1)
            + signature.substring(0, 10)
            + flipped
            + signature.substring(11);

    assertThatThrownBy(() -> decoder.decode(forged).block()).isInstanceOf(JwtException.class);
    assertThat(decoder.remembered()).isEqualTo(1);
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

  /** A team member's token for the platform's API, valid for {@code seconds} from now. */
  private String token(long seconds) {
    return issuer
        .issueToken(ISSUER_ID, "user-of-team-a", AUDIENCE, Map.of("team", "team-a"), seconds)
        .serialize();
  }

  private ReactiveIssuerJwtDecoder decoder() {
    var properties =
        new JwtProperties(
            "http://localhost:" + port + "/" + ISSUER_ID,
            List.of(AUDIENCE),
            null,
            List.of("RS256"),
            Duration.ofSeconds(30),
            Duration.ofMillis(500),
            Duration.ofSeconds(10),
            Duration.ofMinutes(5),
            Duration.ofSeconds(5),
            Duration.ZERO);
    keys = new IssuerKeys(properties);
    keys.start();
    return new ReactiveIssuerJwtDecoder(new IssuerJwtDecoder(properties, keys, clock), keys);
  }

  /** The system's time, moved forward on demand (the issuer signs with the real time). */
  private static final class MovableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    void advance(Duration by) {
      offset = offset.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
