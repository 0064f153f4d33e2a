package io.paybridge.billing.merchant;

/**
 * The caller's team has no such resource (billing request, mandate, payment): another team's
 * resource looks the same.
 */
public class ResourceNotFoundException extends RuntimeException {
  public ResourceNotFoundException(String kind, String id) {
    super("No " + kind + " " + id + " for this team");
  }
}
