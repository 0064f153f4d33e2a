package io.paybridge.oauth.support;

import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * The real parts around the service, started once per test JVM: the GoCardless simulator (behind a
 * proxy that can fail on demand), a real OIDC issuer (mock-oauth2-server) and the port the service
 * will listen on, chosen first so that the simulator's partner app can register its callback URL.
 */
public final class TestWorld {

  public static final String ISSUER = "paybridge";
  public static final String TOKEN_SCOPE = "merchant-tokens:read";
  public static final String KEY_MANAGEMENT_SCOPE = "merchant-keys:manage";

  private static TestWorld world;

  public final int servicePort;
  public final GoCardlessSimulator simulator;
  public final FaultyProxy gocardless;
  public final MockOAuth2Server issuer;

  private TestWorld() {
    servicePort = freePort();
    simulator =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withRedirectUris(List.of(callbackUrl(servicePort)))
                .withTickInterval(Duration.ZERO));
    gocardless = FaultyProxy.to(simulator.baseUrl());
    issuer = new MockOAuth2Server();
    issuer.start();
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

  public String issuerUri() {
    return issuer.issuerUrl(ISSUER).toString();
  }

  /** A team member's token. */
  public String teamToken(String team) {
    return issuer
        .issueToken(ISSUER, "user-of-" + team, "paybridge", Map.of("team", team), 3600)
        .serialize();
  }

  /** A token without a team claim. */
  public String tokenWithoutTeam() {
    return issuer.issueToken(ISSUER, "nobody", "paybridge", Map.of(), 3600).serialize();
  }

  /** A platform service's token (client credentials), with or without the token scope. */
  public String serviceToken(String service, boolean withTokenScope) {
    return issuer
        .issueToken(
            ISSUER,
            service,
            "paybridge",
            Map.of("client_id", service, "scope", withTokenScope ? TOKEN_SCOPE : "billing:write"),
            3600)
        .serialize();
  }

  /** An operator's token, with or without the key management scope. */
  public String operatorToken(String operator, boolean withKeyScope) {
    return issuer
        .issueToken(
            ISSUER,
            operator,
            "paybridge",
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
