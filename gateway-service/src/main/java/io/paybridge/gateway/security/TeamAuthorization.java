package io.paybridge.gateway.security;

import io.paybridge.gateway.problem.GatewayProblem;
import io.paybridge.platform.web.reactive.AccessLog;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A route's access rule: a token that names a team and, if the route asks for one, holds the scope.
 * A refusal leaves its reason on the exchange, so that the 403 names it ({@link #refusal}).
 */
final class TeamAuthorization implements ReactiveAuthorizationManager<AuthorizationContext> {

  private static final String REFUSAL = TeamAuthorization.class.getName() + ".refusal";

  /** Why a request was refused: the problem and its detail. */
  record Refusal(GatewayProblem problem, String detail) {}

  private final String teamClaim;
  private final String scope;

  private TeamAuthorization(String teamClaim, String scope) {
    this.teamClaim = teamClaim;
    this.scope = scope;
  }

  static TeamAuthorization team(String teamClaim) {
    return new TeamAuthorization(teamClaim, null);
  }

  static TeamAuthorization teamWithScope(String teamClaim, String scope) {
    return new TeamAuthorization(teamClaim, scope);
  }

  @Override
  public Mono<AuthorizationResult> authorize(
      Mono<Authentication> authentication, AuthorizationContext context) {
    return authentication
        .filter(Authentication::isAuthenticated)
        .filter(JwtAuthenticationToken.class::isInstance)
        .map(JwtAuthenticationToken.class::cast)
        .map(token -> decide(token, context.getExchange()))
        .defaultIfEmpty(new AuthorizationDecision(false));
  }

  private AuthorizationResult decide(JwtAuthenticationToken token, ServerWebExchange exchange) {
    String team = token.getToken().getClaimAsString(teamClaim);
    if (team == null || team.isBlank()) {
      exchange
          .getAttributes()
          .put(
              REFUSAL,
              new Refusal(
                  GatewayProblem.TEAM_CLAIM_MISSING,
                  "The token has no '" + teamClaim + "' claim; team routes need a team's token"));
      return new AuthorizationDecision(false);
    }
    exchange.getAttributes().put(Callers.TEAM_ATTRIBUTE, team);
    AccessLog.label(exchange, "paybridge.team", team);
    if (scope != null
        && token.getAuthorities().stream()
            .noneMatch(a -> ("SCOPE_" + scope).equals(a.getAuthority()))) {
      exchange
          .getAttributes()
          .put(
              REFUSAL,
              new Refusal(
                  GatewayProblem.INSUFFICIENT_SCOPE,
                  "This route needs scope '"
                      + scope
                      + "' for "
                      + exchange.getRequest().getMethod()));
      return new AuthorizationDecision(false);
    }
    return new AuthorizationDecision(true);
  }

  /** Why the exchange was refused (insufficient scope if nothing more is known). */
  static Refusal refusal(ServerWebExchange exchange) {
    Refusal refusal = exchange.getAttribute(REFUSAL);
    return refusal != null
        ? refusal
        : new Refusal(GatewayProblem.INSUFFICIENT_SCOPE, "The token may not call this route");
  }
}
