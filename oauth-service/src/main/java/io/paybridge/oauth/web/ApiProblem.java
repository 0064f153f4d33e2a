package io.paybridge.oauth.web;

import io.paybridge.platform.web.ProblemType;
import java.net.URI;

/**
 * The catalogue of problems the service answers with (RFC 9457 problem+json). The type URIs are
 * stable: clients may rely on them.
 */
public enum ApiProblem implements ProblemType {
  INVALID_REQUEST(400, "invalid-request", "The request is not valid"),
  INVALID_OAUTH_STATE(400, "invalid-oauth-state", "The connection link is not valid"),
  UNAUTHENTICATED(401, "unauthenticated", "A valid bearer token is required"),
  FORBIDDEN(403, "forbidden", "The caller may not do this"),
  TEAM_CLAIM_MISSING(403, "team-claim-missing", "The token names no team"),
  MERCHANT_NOT_FOUND(404, "merchant-not-found", "No such merchant"),
  NOT_FOUND(404, "not-found", "No such resource"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  MERCHANT_NOT_CONNECTED(404, "merchant-not-connected", "No connected merchant with this id"),
  INTERNAL(500, "internal-error", "The request could not be processed");

  private final int status;
  private final URI type;
  private final String title;

  ApiProblem(int status, String slug, String title) {
    this.status = status;
    this.type = ProblemType.typeNamed(slug);
    this.title = title;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public URI type() {
    return type;
  }

  @Override
  public String title() {
    return title;
  }
}
