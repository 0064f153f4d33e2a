package io.paybridge.notification.web;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/** Reads the caller's team from its JWT (the claim named by {@link SecurityProperties}). */
@Component
public class Teams {

  private final String claim;

  Teams(SecurityProperties properties) {
    this.claim = properties.teamClaim();
  }

  /**
   * The caller's team.
   *
   * @throws ProblemException when the token names none: without a team nothing can be scoped
   */
  public String of(Jwt jwt) {
    Object team = jwt.getClaims().get(claim);
    if (!(team instanceof String value) || value.isBlank()) {
      throw new ProblemException(
          ApiProblem.TEAM_CLAIM_MISSING, "The token has no '" + claim + "' claim");
    }
    return value;
  }
}
