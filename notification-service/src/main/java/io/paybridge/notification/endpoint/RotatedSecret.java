package io.paybridge.notification.endpoint;

import java.time.Instant;

/**
 * The answer to a rotation: the new secret, shown this once, and until when the previous one still
 * signs (both signatures are sent until then).
 */
public record RotatedSecret(String secret, Instant previousSecretExpiresAt) {

  /** Without the secret: a debug log of the response must not show it. */
  @Override
  public String toString() {
    return "RotatedSecret[secret=***, previousSecretExpiresAt=" + previousSecretExpiresAt + "]";
  }
}
