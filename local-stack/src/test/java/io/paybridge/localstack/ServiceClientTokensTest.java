package io.paybridge.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The development issuer, a real mock-oauth2-server over HTTP, answers each service's
 * client-credentials request (RFC 6749 §4.4) as that service, whichever way it authenticates.
 */
class ServiceClientTokensTest {

  private static final String SCOPE = "merchant-tokens:read";
  private static MockOAuth2Server issuer;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    issuer =
        new MockOAuth2Server(
            new OAuth2Config(
                false,
                null,
                null,
                false,
                new OAuth2TokenProvider(),
                Set.of(
                    new ServiceClientTokens(
                        "paybridge",
                        "oauth-service",
                        Map.of(
                            "billing-service", Set.of(SCOPE),
                            "webhook-ingest-service", Set.of(SCOPE)),
                        3600))));
    issuer.start();
  }

  @AfterAll
  static void stop() {
    issuer.shutdown();
  }

  @Test
  void eachClientAuthenticatingWithTheAuthorizationHeaderIsItself() throws Exception {
    for (String client : new String[] {"billing-service", "webhook-ingest-service"}) {
      var claims = basic(client, SCOPE).getJWTClaimsSet();
      assertThat(claims.getStringClaim("client_id")).isEqualTo(client);
      assertThat(claims.getSubject()).isEqualTo(client);
      assertThat(claims.getStringClaim("scope")).isEqualTo(SCOPE);
      assertThat(claims.getAudience()).containsExactly("oauth-service");
      assertThat(claims.getIssuer()).isEqualTo(issuer.issuerUrl("paybridge").toString());
    }
  }

  @Test
  void aClientAuthenticatingWithFormFieldsIsItselfToo() throws Exception {
    var claims =
        token(
                "grant_type=client_credentials&scope="
                    + SCOPE
                    + "&client_id=webhook-ingest-service&client_secret=s3cret",
                null)
            .getJWTClaimsSet();
    assertThat(claims.getStringClaim("client_id")).isEqualTo("webhook-ingest-service");
    assertThat(claims.getStringClaim("scope")).isEqualTo(SCOPE);
  }

  @Test
  void anUnknownClientGetsNoScope() throws Exception {
    var claims = basic("reporting-service", SCOPE).getJWTClaimsSet();
    assertThat(claims.getStringClaim("client_id")).isEqualTo("reporting-service");
    assertThat(claims.getStringClaim("scope")).isEmpty();
  }

  private SignedJWT basic(String client, String scope) throws Exception {
    String credentials =
        Base64.getEncoder().encodeToString((client + ":s3cret").getBytes(StandardCharsets.UTF_8));
    return token("grant_type=client_credentials&scope=" + scope, "Basic " + credentials);
  }

  private SignedJWT token(String form, String authorization) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(issuer.tokenEndpointUrl("paybridge").toString()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String accessToken =
        JsonMapper.builder().build().readTree(response.body()).path("access_token").asString();
    return SignedJWT.parse(accessToken);
  }
}
