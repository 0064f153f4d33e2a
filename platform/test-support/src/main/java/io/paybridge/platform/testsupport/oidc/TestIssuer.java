package io.paybridge.platform.testsupport.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * The company's identity provider for tests: a real OIDC server (mock-oauth2-server, RS256,
 * discovery and JWKS over HTTP), started once per test JVM and shared by every test class and
 * service in it. Tokens carry the claims the platform reads: {@code team}, {@code scope}
 * (space-separated) and, for platform services, {@code client_id}.
 */
public final class TestIssuer {

  /** The issuer id: the issuer URI is {@code <base>/paybridge}. */
  public static final String ISSUER_ID = "paybridge";

  private static TestIssuer instance;

  private final MockOAuth2Server server;
  private final KeyProvider keys;

  private TestIssuer() {
    keys = new KeyProvider();
    server =
        new MockOAuth2Server(
            new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)));
    server.start();
  }

  /** The issuer of this test JVM, started on first use. */
  public static synchronized TestIssuer get() {
    if (instance == null) {
      instance = new TestIssuer();
    }
    return instance;
  }

  /** The value of {@code iss} in every token, and the base of the discovery document. */
  public String issuerUri() {
    return server.issuerUrl(ISSUER_ID).toString();
  }

  /** The issuer's key set, served directly (wrap it in a FaultyProxy to take it down). */
  public String jwksUri() {
    return issuerUri() + "/jwks";
  }

  /** {@code http://127.0.0.1:<port>}: where a proxy in front of the issuer points. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.baseUrl().port();
  }

  /** A token for {@code audience} with {@code claims} (valid for an hour). */
  public String token(String subject, String audience, Map<String, Object> claims) {
    return server.issueToken(ISSUER_ID, subject, audience, claims, 3600).serialize();
  }

  /** A team member's token for {@code audience}, with the given scopes (none if empty). */
  public String teamToken(String team, String audience, String... scopes) {
    Map<String, Object> claims = new HashMap<>();
    claims.put("team", team);
    if (scopes.length > 0) {
      claims.put("scope", String.join(" ", scopes));
    }
    return token("user-of-" + team, audience, claims);
  }

  /** A platform service's token (client credentials) for {@code audience}. */
  public String serviceToken(String clientId, String audience, String... scopes) {
    return token(
        clientId, audience, Map.of("client_id", clientId, "scope", String.join(" ", scopes)));
  }

  /**
   * A token signed with the issuer's own key (RS256, its key id) whose claims are exactly {@code
   * claims}: for tokens the issuer would not issue itself (no audience, expired, issued long ago).
   */
  public String signedByTheIssuer(JWTClaimsSet claims) {
    try {
      var key = keys.signingKey(ISSUER_ID).toRSAKey();
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

  /** Claims a valid token of this issuer carries, as a start for {@link #signedByTheIssuer}. */
  public JWTClaimsSet.Builder claims(String subject, List<String> audience) {
    var now = new java.util.Date();
    return new JWTClaimsSet.Builder()
        .issuer(issuerUri())
        .subject(subject)
        .audience(audience)
        .issueTime(now)
        .notBeforeTime(now)
        .expirationTime(new java.util.Date(now.getTime() + 3_600_000));
  }
}
