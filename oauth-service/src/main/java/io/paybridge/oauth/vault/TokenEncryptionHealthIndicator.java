package io.paybridge.oauth.vault;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code tokenEncryption} in health (and readiness): DOWN when this instance lacks the cluster's
 * active key, since it can then neither store a new token nor read the ones under that key.
 */
@Component
class TokenEncryptionHealthIndicator implements HealthIndicator {

  private final TokenKeys keys;
  private final TokenCipher cipher;

  TokenEncryptionHealthIndicator(TokenKeys keys, TokenCipher cipher) {
    this.keys = keys;
    this.cipher = cipher;
  }

  @Override
  public Health health() {
    String active = keys.activeKeyId();
    var health = cipher.holds(active) ? Health.up() : Health.down();
    return health
        .withDetail("activeKeyId", active)
        .withDetail("heldKeyIds", cipher.keyIds())
        .build();
  }
}
