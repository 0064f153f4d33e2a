package io.paybridge.oauth.vault;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How merchants' access tokens are encrypted at rest ({@code paybridge.oauth.token-encryption.*}).
 *
 * <p>Key material is configuration (each instance's secret store); which key encrypts is not: it is
 * one decision for the whole cluster, kept in the database ({@code token_encryption_key}) and
 * changed by an operator through {@code PUT /operations/token-encryption-keys/active}, which is
 * refused while a running instance lacks the key. The configuration only seeds that decision on a
 * database that has none yet. Rotation: put the new key in every instance's secret store and roll
 * out, then activate it; the rotation job re-encrypts the stored tokens (the gauge {@code
 * paybridge.oauth.tokens.stale.key} counts what is left). Remove the old key once it reads 0.
 *
 * @param keys AES-256 keys by key id: Base64 of 32 random bytes each. From the secret store
 *     (environment), never committed. Key ids: letters, digits, {@code -} and {@code _}.
 * @param initialActiveKeyId the key that becomes the cluster's active key on a database without one
 *     (first start); ignored afterwards. Must name one of {@code keys} when set
 * @param activeKeyId the former name of {@code initialActiveKeyId}, still read when that is not
 *     set; it no longer changes which key encrypts once the database has an active key
 * @param rotationInterval how often the rotation job looks for tokens under another key than the
 *     active one (and refreshes the gauges of what is left)
 * @param rotationBatchSize tokens re-encrypted per transaction
 * @param heartbeatInterval how often an instance records, in the database, that it is running and
 *     which key ids it holds
 * @param instanceTimeout an instance whose last heartbeat is older than this counts as gone: it no
 *     longer blocks an activation. Longer than {@code heartbeatInterval}
 */
@ConfigurationProperties("paybridge.oauth.token-encryption")
public record TokenEncryptionProperties(
    @DefaultValue Map<String, String> keys,
    String initialActiveKeyId,
    String activeKeyId,
    @DefaultValue("1m") Duration rotationInterval,
    @DefaultValue("100") int rotationBatchSize,
    @DefaultValue("10s") Duration heartbeatInterval,
    @DefaultValue("30s") Duration instanceTimeout) {

  public TokenEncryptionProperties {
    if (instanceTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalStateException(
          "paybridge.oauth.token-encryption.instance-timeout must be longer than heartbeat-interval");
    }
  }

  /** The key that seeds the cluster's active key on a fresh database, if configured. */
  public String bootstrapKeyId() {
    if (initialActiveKeyId != null && !initialActiveKeyId.isBlank()) {
      return initialActiveKeyId;
    }
    return activeKeyId == null || activeKeyId.isBlank() ? null : activeKeyId;
  }

  @Override
  public String toString() {
    return "TokenEncryptionProperties[keys="
        + keys.keySet()
        + " (values redacted), initialActiveKeyId="
        + initialActiveKeyId
        + ", activeKeyId="
        + activeKeyId
        + ", rotationInterval="
        + rotationInterval
        + ", rotationBatchSize="
        + rotationBatchSize
        + ", heartbeatInterval="
        + heartbeatInterval
        + ", instanceTimeout="
        + instanceTimeout
        + "]";
  }
}
