package io.paybridge.notification.endpoint;

import java.util.Base64;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The keys that encrypt endpoints' signing secrets at rest ({@code
 * paybridge.notification.secrets.*}), from the secret store or the environment, never committed.
 *
 * @param keys key id → Base64 of a 32-byte AES key ({@code
 *     PAYBRIDGE_NOTIFICATION_SECRETS_KEYS_<ID>}); every key that encrypted a stored secret must
 *     stay here
 * @param activeKeyId the key that encrypts new secrets
 */
@ConfigurationProperties("paybridge.notification.secrets")
public record SecretProperties(Map<String, String> keys, String activeKeyId) {

  public SecretProperties {
    if (keys == null || keys.isEmpty() || activeKeyId == null || !keys.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          "paybridge.notification.secrets.keys must hold the key named by"
              + " paybridge.notification.secrets.active-key-id (Base64 of 32 bytes each)");
    }
    for (var key : keys.entrySet()) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(key.getValue());
      } catch (IllegalArgumentException e) {
        bytes = new byte[0];
      }
      if (bytes.length != 32) {
        throw new IllegalArgumentException(
            "paybridge.notification.secrets.keys." + key.getKey() + " is not Base64 of 32 bytes");
      }
    }
    keys = Map.copyOf(keys);
  }

  /** Redacted: keys never reach logs or actuator output through toString. */
  @Override
  public String toString() {
    return "SecretProperties[keys=" + keys.keySet() + ", activeKeyId=" + activeKeyId + "]";
  }
}
