package io.paybridge.notification.endpoint;

import io.paybridge.platform.crypto.KeyUnavailableException;
import io.paybridge.platform.crypto.KeyedCipher;
import org.springframework.stereotype.Component;

/**
 * Endpoints' signing secrets at rest, with platform/crypto's {@link KeyedCipher} (AES-256-GCM, the
 * same key custody as oauth-service's tokens and billing-service's personal data): a random 12-byte
 * nonce per secret, the endpoint id as associated data (a ciphertext copied to another endpoint
 * does not decrypt). The stored form is unchanged from before the move: the key id in a column of
 * its own, beside {@code nonce ‖ ciphertext ‖ tag} ({@link KeyedCipher#seal}), so keys can be added
 * without re-encrypting.
 */
@Component
class SecretCipher {

  private final KeyedCipher cipher;
  private final String activeKeyId;

  SecretCipher(SecretProperties properties) {
    this.cipher = new KeyedCipher(properties.keys(), "signing-secret encryption key");
    this.activeKeyId = properties.activeKeyId();
  }

  String activeKeyId() {
    return activeKeyId;
  }

  byte[] encrypt(byte[] secret, String endpointId) {
    return cipher.seal(activeKeyId, secret, endpointId);
  }

  byte[] decrypt(String keyId, byte[] ciphertext, String endpointId) {
    try {
      return cipher.open(keyId, ciphertext, endpointId);
    } catch (KeyUnavailableException e) {
      throw new IllegalStateException(
          "Signing secret encrypted with key '" + keyId + "', which is not configured", e);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "A signing secret of endpoint " + endpointId + " does not decrypt", e);
    }
  }
}
