package io.paybridge.billing.merchant;

/**
 * A merchant as oauth-service announced it: which team owns it, its organisation, connected or not.
 */
public record Merchant(String id, String team, String organisationId, boolean connected) {}
