package io.paybridge.oauth.support;

import com.nimbusds.jwt.JWTClaimsSet;
import io.paybridge.platform.testsupport.http.FaultyProxy;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real parts around the service, started once per test JVM: the GoCardless simulator (behind a
 * proxy that can fail on demand), the platform's OIDC issuer ({@link TestIssuer}, its key set
 * behind a proxy too) and the port the service will listen on, chosen first so that the simulator's
 * partner app can register its callback URL.
 */
public final class TestWorld {

  public static final String TOKEN_SCOPE = "merchant-tokens:read";
  public static final String KEY_MANAGEMENT_SCOPE = "merchant-keys:manage";
  public static final String OPERATIONS_SCOPE = "operations:read";

  /** The audience oauth-service accepts; tokens for other services carry theirs. */
  public static final String AUDIENCE = "oauth-service";

  private static TestWorld world;

  public final int servicePort;
  public final GoCardlessSimulator simulator;
  public final FaultyProxy gocardless;
  public final TestIssuer issuer;

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
    issuer = TestIssuer.get();
    identityProvider = FaultyProxy.to(issuer.baseUrl());
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
    return issuer.issuerUri();
  }

  /** Where the service fetches the issuer's keys: through {@link #identityProvider}. */
  public String jwksUri() {
    return identityProvider.url() + "/" + TestIssuer.ISSUER_ID + "/jwks";
  }

  /** A team member's token. */
  public String teamToken(String team) {
    return issuer.teamToken(team, AUDIENCE);
  }

  /** A team member's token for another audience (another service of the platform). */
  public String teamTokenFor(String team, String audience) {
    return issuer.teamToken(team, audience);
  }

  /** A token signed with the issuer's own key whose claims are exactly {@code claims}. */
  public String signedByTheIssuer(JWTClaimsSet claims) {
    return issuer.signedByTheIssuer(claims);
  }

  /** A token without a team claim. */
  public String tokenWithoutTeam() {
    return issuer.token("nobody", AUDIENCE, Map.of());
  }

  /** A platform service's token (client credentials), with or without the token scope. */
  public String serviceToken(String service, boolean withTokenScope) {
    return issuer.serviceToken(service, AUDIENCE, withTokenScope ? TOKEN_SCOPE : "billing:write");
  }

  /** An operator's token with the scope of the management port's health details and metrics. */
  public String operationsToken() {
    return issuer.token("operator", AUDIENCE, Map.of("scope", OPERATIONS_SCOPE));
  }

  /** An operator's token, with or without the key management scope. */
  public String operatorToken(String operator, boolean withKeyScope) {
    return issuer.token(
        operator, AUDIENCE, Map.of("scope", withKeyScope ? KEY_MANAGEMENT_SCOPE : TOKEN_SCOPE));
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
