package io.paybridge.simulator.oauth;

import io.paybridge.simulator.creditors.Creditors;
import io.paybridge.simulator.internal.AccessToken;
import io.paybridge.simulator.internal.Organisation;
import io.paybridge.simulator.internal.State;

/**
 * Creates merchant organisations (with their creditor) and disconnects the partner app from them.
 */
public final class Organisations {
  private final State state;
  private final Creditors creditors;

  public Organisations(State state, Creditors creditors) {
    this.state = state;
    this.creditors = creditors;
  }

  /** Call with the lock held. */
  public Organisation create(
      String organisationId,
      String creditorId,
      String name,
      String email,
      String verificationStatus,
      boolean connected) {
    String orgId = organisationId != null ? organisationId : state.ids.next("OR");
    String crId = creditorId != null ? creditorId : state.ids.next("CR");
    state.ids.reserve(orgId);
    state.ids.reserve(crId);
    Organisation organisation = new Organisation(orgId, name, crId, email, connected);
    state.organisations.put(orgId, organisation);
    creditors.create(orgId, crId, name, verificationStatus, state.now());
    return organisation;
  }

  /**
   * Disconnects the partner app from an organisation: its OAuth tokens stop working (401) and the
   * app receives the {@code organisations}/{@code disconnected} event with {@code "id": null}
   * (docs/gocardless/API.md §2.5). Call with the lock held.
   *
   * @return false if the app was not connected
   */
  public boolean disconnect(String organisationId) {
    Organisation organisation = state.organisation(organisationId);
    if (organisation == null || !organisation.connectedToApp) {
      return false;
    }
    organisation.connectedToApp = false;
    state.tokens.values().removeIf(t -> t.viaApp() && t.organisationId().equals(organisationId));
    state
        .event(organisationId, "organisations", "disconnected")
        .origin("gocardless")
        .cause("app_disconnected")
        .description("Your app has been has disconnected from this organisation")
        .withoutId()
        .emit();
    return true;
  }

  /** Registers a token the app obtained through OAuth. */
  public AccessToken issueToken(String organisationId, String scope) {
    AccessToken token =
        new AccessToken(state.ids.secret("sandbox_", 40), organisationId, scope, true);
    state.tokens.put(token.token(), token);
    return token;
  }
}
