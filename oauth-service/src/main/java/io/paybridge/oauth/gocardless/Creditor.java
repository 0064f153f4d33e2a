package io.paybridge.oauth.gocardless;

/** What the service needs of a GoCardless creditor. */
public record Creditor(String id, String name, String verificationStatus) {}
