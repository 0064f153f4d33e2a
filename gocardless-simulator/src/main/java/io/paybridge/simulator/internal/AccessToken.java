package io.paybridge.simulator.internal;

/**
 * A bearer token the simulator accepts.
 *
 * @param token the secret
 * @param organisationId the organisation it acts for
 * @param scope {@code read_write} or {@code read_only}
 * @param viaApp true when issued to the partner app through OAuth (false: a static/merchant token)
 */
public record AccessToken(String token, String organisationId, String scope, boolean viaApp) {
  public boolean readOnly() {
    return "read_only".equals(scope);
  }
}
