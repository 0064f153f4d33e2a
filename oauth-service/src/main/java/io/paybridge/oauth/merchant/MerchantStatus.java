package io.paybridge.oauth.merchant;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a merchant's connection stands. */
public enum MerchantStatus {
  /** A connection was started; the merchant has not come back from GoCardless yet. */
  PENDING,
  /**
   * The organisation that connected differs from what the team expected: its token is held (never
   * handed out) until the team confirms or rejects the connection.
   */
  NEEDS_REVIEW,
  /** PayBridge holds a token for the merchant's organisation. */
  CONNECTED,
  /** The merchant or the team ended the connection; the token is gone. */
  DISCONNECTED,
  /**
   * The connection never completed (refused consent, GoCardless failure, expiry, cancel, rejected
   * review).
   */
  FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase();
  }

  static MerchantStatus fromWire(String value) {
    return valueOf(value.toUpperCase());
  }
}
