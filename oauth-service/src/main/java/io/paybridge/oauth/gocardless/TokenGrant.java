package io.paybridge.oauth.gocardless;

/**
 * The answer of a successful code exchange.
 *
 * @param accessToken secret: never log it, never put it in an event or a response to a team
 * @param email the email of the user who approved (docs/gocardless/API.md §2.3, unconfirmed: may be
 *     absent); personal data, kept out of {@link #toString()}
 */
public record TokenGrant(String accessToken, String organisationId, String scope, String email) {

  @Override
  public String toString() {
    return "TokenGrant[organisationId=" + organisationId + ", scope=" + scope + "]";
  }
}
