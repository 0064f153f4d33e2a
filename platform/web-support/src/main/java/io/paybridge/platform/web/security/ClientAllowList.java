package io.paybridge.platform.web.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Lets a request through only if the calling client (a service with client credentials) is one of a
 * fixed list. A scope says what a token may do; this says which services may do it at all, so that
 * a scope granted by mistake to another client does not open the endpoint.
 */
public final class ClientAllowList implements AuthorizationManager<RequestAuthorizationContext> {

  private final Set<String> clients;
  private final List<String> claims;

  private ClientAllowList(Collection<String> clients, List<String> claims) {
    this.clients = Set.copyOf(clients);
    this.claims = List.copyOf(claims);
  }

  /**
   * @param clients the client ids let through
   * @param claims the claims that name the client, in order of preference (for example {@code
   *     client_id} of RFC 9068, then {@code azp})
   */
  public static ClientAllowList of(Collection<String> clients, List<String> claims) {
    return new ClientAllowList(clients, claims);
  }

  @Override
  public AuthorizationResult authorize(
      Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
    String client =
        authentication.get() instanceof JwtAuthenticationToken token
            ? clientId(token.getToken(), claims)
            : null;
    return new AuthorizationDecision(client != null && clients.contains(client));
  }

  /** The client a token was issued to: the first of {@code claims} that it has, or {@code null}. */
  public static String clientId(Jwt jwt, List<String> claims) {
    for (String claim : claims) {
      String value = jwt.getClaimAsString(claim);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }
}
