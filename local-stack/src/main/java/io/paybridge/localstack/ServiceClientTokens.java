package io.paybridge.localstack;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * The development issuer's answer to a service's client-credentials request, as the company IdP
 * would give it: a token for one audience naming the client that asked ({@code sub} and {@code
 * client_id}) with the scopes it asked for among those the client is allowed. The client is read
 * from the request's client authentication, {@code client_secret_basic} (the Authorization header,
 * Spring Security's default, which platform/gocardless-client uses) or {@code client_secret_post}
 * (form fields): mock-oauth2-server's own {@code RequestMapping} matches only form fields, so it
 * cannot tell two services that authenticate with the header apart. The secret is not checked: a
 * development issuer.
 */
final class ServiceClientTokens implements OAuth2TokenCallback {

  private final String issuerId;
  private final String audience;
  private final Map<String, Set<String>> allowedScopes;
  private final long expirySeconds;

  /**
   * @param allowedScopes per client id, the scopes it may be given; any other client gets a token
   *     without scopes, which no service accepts for anything
   */
  ServiceClientTokens(
      String issuerId,
      String audience,
      Map<String, Set<String>> allowedScopes,
      long expirySeconds) {
    this.issuerId = issuerId;
    this.audience = audience;
    this.allowedScopes = Map.copyOf(allowedScopes);
    this.expirySeconds = expirySeconds;
  }

  @Override
  public String issuerId() {
    return issuerId;
  }

  @Override
  public String subject(TokenRequest request) {
    return clientId(request);
  }

  @Override
  public String typeHeader(TokenRequest request) {
    return "JWT";
  }

  @Override
  public List<String> audience(TokenRequest request) {
    return List.of(audience);
  }

  @Override
  public Map<String, Object> addClaims(TokenRequest request) {
    String client = clientId(request);
    Set<String> allowed = allowedScopes.getOrDefault(client, Set.of());
    Scope requested = request.getScope();
    String granted =
        requested == null
            ? ""
            : requested.toStringList().stream()
                .filter(allowed::contains)
                .collect(Collectors.joining(" "));
    var claims = new LinkedHashMap<String, Object>();
    claims.put("client_id", client);
    claims.put("scope", granted);
    return claims;
  }

  @Override
  public long tokenExpiry() {
    return expirySeconds;
  }

  private static String clientId(TokenRequest request) {
    ClientID id =
        request.getClientAuthentication() != null
            ? request.getClientAuthentication().getClientID()
            : request.getClientID();
    return id == null ? "unknown-client" : id.getValue();
  }
}
