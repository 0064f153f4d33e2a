package io.paybridge.oauth.gocardless;

/**
 * The answer of a successful code exchange.
 *
 * @param accessToken secret: never log it, never put it in an event or a response to a team
 */
public record TokenGrant(String accessToken, String organisationId, String scope) {

  @Override
  public String toString() {
    return "TokenGrant[organisationId=" + organisationId + ", scope=" + scope + "]";
  }
}
