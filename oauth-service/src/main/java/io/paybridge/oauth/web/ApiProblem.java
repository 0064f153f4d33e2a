package io.paybridge.oauth.web;

import io.paybridge.platform.web.CommonProblem;
import io.paybridge.platform.web.ProblemType;

/**
 * The catalogue of problems the service answers with (RFC 9457 problem+json). The type URIs are
 * stable: clients may rely on them.
 */
public enum ApiProblem implements ProblemType {
  INVALID_REQUEST(CommonProblem.INVALID_REQUEST.definition()),
  INVALID_OAUTH_STATE(
      Definition.of(400, "invalid-oauth-state", "The connection link is not valid")),
  UNAUTHENTICATED(Definition.of(401, "unauthenticated", "A valid bearer token is required")),
  FORBIDDEN(Definition.of(403, "forbidden", "The caller may not do this")),
  TEAM_CLAIM_MISSING(Definition.of(403, "team-claim-missing", "The token names no team")),
  MERCHANT_NOT_FOUND(Definition.of(404, "merchant-not-found", "No such merchant")),
  NOT_FOUND(CommonProblem.NOT_FOUND.definition()),
  METHOD_NOT_ALLOWED(CommonProblem.METHOD_NOT_ALLOWED.definition()),
  MERCHANT_NOT_IN_REVIEW(
      Definition.of(409, "merchant-not-in-review", "The merchant is not held for review")),
  TOO_MANY_REFUSED_CALLBACKS(
      Definition.of(
          429,
          "too-many-refused-callbacks",
          "Too many invalid connection links from this address")),
  MERCHANT_NOT_CONNECTED(
      Definition.of(404, "merchant-not-connected", "No connected merchant with this id")),
  TOKEN_KEY_NOT_HELD(
      Definition.of(
          409, "token-key-not-held", "A running instance does not hold this encryption key")),
  INTERNAL(CommonProblem.INTERNAL.definition()),
  GOCARDLESS_UNAVAILABLE(
      Definition.of(503, "gocardless-unavailable", "GoCardless cannot be reached; try again")),
  IDENTITY_PROVIDER_UNAVAILABLE(
      Definition.of(
          503, "identity-provider-unavailable", "The token cannot be checked now; retry later")),
  TOKEN_KEY_UNAVAILABLE(
      Definition.of(
          503,
          "token-key-unavailable",
          "This instance does not hold the key the merchant's token needs"));

  private final Definition definition;

  ApiProblem(Definition definition) {
    this.definition = definition;
  }

  @Override
  public Definition definition() {
    return definition;
  }
}
