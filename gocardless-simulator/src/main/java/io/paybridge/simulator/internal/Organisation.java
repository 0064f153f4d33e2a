package io.paybridge.simulator.internal;

/**
 * A merchant account. Not an API resource: visible as {@code links.organisation} and through OAuth.
 */
public final class Organisation {
  public final String id;
  public final String name;
  public final String creditorId;
  public String email;
  public volatile boolean connectedToApp;

  public Organisation(
      String id, String name, String creditorId, String email, boolean connectedToApp) {
    this.id = id;
    this.name = name;
    this.creditorId = creditorId;
    this.email = email;
    this.connectedToApp = connectedToApp;
  }
}
