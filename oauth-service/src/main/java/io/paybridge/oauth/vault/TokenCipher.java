package io.paybridge.oauth.vault;

import io.paybridge.platform.crypto.KeyUnavailableException;
import io.paybridge.platform.crypto.KeyedCipher;
import java.util.Map;
import java.util.SortedSet;

/**
 * Merchants' access tokens at rest: platform/crypto's {@link KeyedCipher} (AES-256-GCM, {@code
 * v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>}), with the merchant id as authenticated data: a
 * ciphertext copied onto another merchant's row does not decrypt. Which key encrypts is the
 * caller's choice (the cluster's active key, {@link TokenKeys}), never this instance's
 * configuration.
 */
public final class TokenCipher {

  private final KeyedCipher cipher;

  public TokenCipher(Map<String, String> base64Keys) {
    if (base64Keys.isEmpty()) {
      throw new IllegalStateException(
          "No token encryption key is configured (paybridge.oauth.token-encryption.keys.<id>)");
    }
    this.cipher = new KeyedCipher(base64Keys, "token encryption key");
  }

  /**
   * The cipher of the configured keys.
   *
   * @throws IllegalStateException when a key is malformed, none is configured, or the initial
   *     active key is not one of them
   */
  public static TokenCipher from(TokenEncryptionProperties properties) {
    var cipher = new TokenCipher(properties.keys());
    String initial = properties.bootstrapKeyId();
    if (initial != null && !cipher.holds(initial)) {
      throw new IllegalStateException(
          "paybridge.oauth.token-encryption.initial-active-key-id must name one of the configured"
              + " keys "
              + cipher.keyIds());
    }
    return cipher;
  }

  /** Whether {@code keyId} can name a key (it travels inside every ciphertext). */
  public static boolean isValidKeyId(String keyId) {
    return KeyedCipher.isValidKeyId(keyId);
  }

  /** The ids of the keys this instance holds, sorted. */
  public SortedSet<String> keyIds() {
    return cipher.keyIds();
  }

  public boolean holds(String keyId) {
    return cipher.holds(keyId);
  }

  /**
   * Encrypts {@code token} for {@code merchantId} under the key {@code keyId}.
   *
   * @throws TokenKeyUnavailableException when this instance does not hold that key
   */
  public String encrypt(String keyId, String token, String merchantId) {
    try {
      return cipher.encrypt(keyId, token, aad(merchantId));
    } catch (KeyUnavailableException e) {
      throw new TokenKeyUnavailableException(e.keyId());
    }
  }

  /**
   * Decrypts a ciphertext made by {@link #encrypt} for {@code merchantId}.
   *
   * @throws TokenKeyUnavailableException when this instance does not hold its key
   * @throws IllegalStateException when it is not a token ciphertext or does not authenticate
   */
  public String decrypt(String ciphertext, String merchantId) {
    try {
      return cipher.decrypt(ciphertext, aad(merchantId));
    } catch (KeyUnavailableException e) {
      throw new TokenKeyUnavailableException(e.keyId());
    } catch (IllegalStateException e) {
      // Never include the ciphertext or key material in the message.
      throw new IllegalStateException("A stored token could not be decrypted");
    }
  }

  /** The key id a ciphertext was made with. */
  public static String keyIdOf(String ciphertext) {
    return KeyedCipher.keyIdOf(ciphertext);
  }

  private static String aad(String merchantId) {
    return "paybridge-merchant-token:" + merchantId;
  }
}
