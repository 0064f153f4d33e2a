package io.paybridge.notification.endpoint;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM for signing secrets at rest: a random 12-byte nonce per secret, the endpoint id as
 * associated data (a ciphertext copied to another endpoint does not decrypt), the key id stored
 * beside the ciphertext so that keys can be added without re-encrypting.
 */
@Component
class SecretCipher {

  private static final int NONCE_BYTES = 12;

  private final Map<String, SecretKey> keys = new HashMap<>();
  private final String activeKeyId;
  private final SecureRandom random = new SecureRandom();

  SecretCipher(SecretProperties properties) {
    properties
        .keys()
        .forEach(
            (id, key) -> keys.put(id, new SecretKeySpec(Base64.getDecoder().decode(key), "AES")));
    this.activeKeyId = properties.activeKeyId();
  }

  String activeKeyId() {
    return activeKeyId;
  }

  byte[] encrypt(byte[] secret, String endpointId) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(endpointId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret);
      return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  byte[] decrypt(String keyId, byte[] ciphertext, String endpointId) {
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new IllegalStateException(
          "Signing secret encrypted with key '" + keyId + "', which is not configured");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, ciphertext, 0, NONCE_BYTES));
      cipher.updateAAD(endpointId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return cipher.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "A signing secret of endpoint " + endpointId + " does not decrypt", e);
    }
  }
}
