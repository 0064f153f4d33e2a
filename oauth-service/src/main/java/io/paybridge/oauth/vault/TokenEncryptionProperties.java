package io.paybridge.oauth.vault;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How merchants' access tokens are encrypted at rest ({@code paybridge.oauth.token-encryption.*}).
 *
 * <p>Rotation without downtime: add the new key next to the old ones, make it the active key and
 * roll the service out. New tokens are encrypted under it at once, and the rotation job re-encrypts
 * the stored ones in the background (the gauge {@code paybridge.oauth.tokens.stale.key} counts what
 * is left). Remove the old key once that gauge reads 0.
 *
 * @param keys AES-256 keys by key id: Base64 of 32 random bytes each. From the secret store
 *     (environment), never committed. Key ids: letters, digits, {@code -} and {@code _}.
 * @param activeKeyId the key that encrypts; every other key only decrypts
 * @param rotationInterval how often the rotation job looks for tokens under an old key
 * @param rotationBatchSize tokens re-encrypted per transaction
 */
@ConfigurationProperties("paybridge.oauth.token-encryption")
public record TokenEncryptionProperties(
    @DefaultValue Map<String, String> keys,
    String activeKeyId,
    @DefaultValue("1m") Duration rotationInterval,
    @DefaultValue("100") int rotationBatchSize) {

  /** Key ids only: the keys themselves never reach a log. */
  @Override
  public String toString() {
    return "TokenEncryptionProperties[keyIds="
        + keys.keySet()
        + ", activeKeyId="
        + activeKeyId
        + ", rotationInterval="
        + rotationInterval
        + ", rotationBatchSize="
        + rotationBatchSize
        + "]";
  }
}
