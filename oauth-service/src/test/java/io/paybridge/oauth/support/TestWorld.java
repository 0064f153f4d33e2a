package io.paybridge.oauth.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatorSettings;
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

/**
 * The real parts around the service, started once per test JVM: the GoCardless simulator (behind a
 * proxy that can fail on demand), a real OIDC issuer (mock-oauth2-server) and the port the service
 * will listen on, chosen first so that the simulator's partner app can register its callback URL.
 */
public final class TestWorld {

  public static final String ISSUER = "paybridge";
  public static final String TOKEN_SCOPE = "merchant-tokens:read";
  public static final String KEY_MANAGEMENT_SCOPE = "merchant-keys:manage";
  public static final String OPERATIONS_SCOPE = "operations:read";

  /** The audience oauth-service accepts; tokens for other services carry theirs. */
  public static final String AUDIENCE = "oauth-service";

  private static TestWorld world;

  public final int servicePort;
  public final GoCardlessSimulator simulator;
  public final FaultyProxy gocardless;
  public final MockOAuth2Server issuer;

  private final KeyProvider keys;

  /** The issuer's key set as the service fetches it: can be taken down or made slow. */
  public final FaultyProxy identityProvider;

  private TestWorld() {
    servicePort = freePort();
    simulator =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withRedirectUris(List.of(callbackUrl(servicePort)))
                .withTickInterval(Duration.ZERO));
    gocardless = FaultyProxy.to(simulator.baseUrl());
    keys = new KeyProvider();
    issuer =
        new MockOAuth2Server(
            new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)));
    issuer.start();
    identityProvider = FaultyProxy.to("http://127.0.0.1:" + issuer.baseUrl().port());
  }

  public static synchronized TestWorld get() {
    if (world == null) {
      world = new TestWorld();
    }
    return world;
  }

  public static String callbackUrl(int port) {
    return "http://127.0.0.1:" + port + "/oauth/callback";
  }

  /** The service's {@code verify-url}: the simulator's verification page, per organisation. */
  public static String verifyUrlTemplate() {
    return get().simulator.baseUrl() + "/verify?organisation={organisation}";
  }

  /** The verification link the service gives a merchant of {@code organisationId}. */
  public String verificationUrl(String organisationId) {
    return simulator.verificationUrl(organisationId);
  }

  public String issuerUri() {
    return issuer.issuerUrl(ISSUER).toString();
  }

  /** Where the service fetches the issuer's keys: through {@link #identityProvider}. */
  public String jwksUri() {
    return identityProvider.url() + "/" + ISSUER + "/jwks";
  }

  /** A team member's token. */
  public String teamToken(String team) {
    return issuer
        .issueToken(ISSUER, "user-of-" + team, AUDIENCE, Map.of("team", team), 3600)
        .serialize();
  }

  /** A team member's token for another audience (another service of the platform). */
  public String teamTokenFor(String team, String audience) {
    return issuer
        .issueToken(ISSUER, "user-of-" + team, audience, Map.of("team", team), 3600)
        .serialize();
  }

  /**
   * A token signed with the issuer's own key (RS256, its key id) whose claims are exactly {@code
   * claims}: for tokens the issuer would not issue itself (no audience, issued long ago).
   */
  public String signedByTheIssuer(JWTClaimsSet claims) {
    try {
      var key = keys.signingKey(ISSUER).toRSAKey();
      var jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token without a team claim. */
  public String tokenWithoutTeam() {
    return issuer.issueToken(ISSUER, "nobody", AUDIENCE, Map.of(), 3600).serialize();
  }

  /** A platform service's token (client credentials), with or without the token scope. */
  public String serviceToken(String service, boolean withTokenScope) {
    return issuer
        .issueToken(
            ISSUER,
            service,
            AUDIENCE,
            Map.of("client_id", service, "scope", withTokenScope ? TOKEN_SCOPE : "billing:write"),
            3600)
        .serialize();
  }

  /** An operator's token with the scope of the management port's health details and metrics. */
  public String operationsToken() {
    return issuer
        .issueToken(ISSUER, "operator", AUDIENCE, Map.of("scope", OPERATIONS_SCOPE), 3600)
        .serialize();
  }

  /** An operator's token, with or without the key management scope. */
  public String operatorToken(String operator, boolean withKeyScope) {
    return issuer
        .issueToken(
            ISSUER,
            operator,
            AUDIENCE,
            Map.of("scope", withKeyScope ? KEY_MANAGEMENT_SCOPE : TOKEN_SCOPE),
            3600)
        .serialize();
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
