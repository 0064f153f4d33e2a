package io.paybridge.platform.operations.audit;

import java.util.List;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The actor from the request's JWT: the {@code team} claim of a team's token, else the client id of
 * a client-credentials token ({@code client_id}, {@code azp}), else its subject.
 */
public final class JwtAuditActors implements AuditActors {

  private static final List<String> CLIENT_ID_CLAIMS = List.of("client_id", "azp");

  @Override
  public String current() {
    if (!(SecurityContextHolder.getContext().getAuthentication()
        instanceof JwtAuthenticationToken token)) {
      return SYSTEM;
    }
    return of(token.getToken());
  }

  /** The actor a JWT names. */
  public static String of(Jwt jwt) {
    String team = jwt.getClaimAsString("team");
    if (team != null && !team.isBlank()) {
      return "team:" + team;
    }
    for (String claim : CLIENT_ID_CLAIMS) {
      String client = jwt.getClaimAsString(claim);
      if (client != null && !client.isBlank()) {
        return "client:" + client;
      }
    }
    return jwt.getSubject() != null ? "subject:" + jwt.getSubject() : SYSTEM;
  }
}
