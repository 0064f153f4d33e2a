package io.paybridge.oauth.vault;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for access tokens. A ciphertext reads {@code v1.<key id>.<base64url(iv ‖ ciphertext ‖
 * tag)>}: the key id travels with it, so any key this instance holds can decrypt. Which key
 * encrypts is the caller's choice (the cluster's active key, {@link TokenKeys}), never this
 * instance's configuration. The merchant id is authenticated data: a ciphertext copied onto another
 * merchant's row does not decrypt.
 */
public final class TokenCipher {

  private static final String VERSION = "v1";
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Map<String, SecretKey> keys;
  private final SecureRandom random = new SecureRandom();

  public TokenCipher(Map<String, String> base64Keys) {
    var parsed = new LinkedHashMap<String, SecretKey>();
    base64Keys.forEach(
        (id, value) -> {
          if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalStateException("Token encryption key id '" + id + "' is not valid");
          }
          byte[] bytes;
          try {
            bytes = Base64.getDecoder().decode(value.trim());
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Token encryption key '" + id + "' is not Base64");
          }
          if (bytes.length != 32) {
            throw new IllegalStateException(
                "Token encryption key '" + id + "' must be 32 bytes (AES-256)");
          }
          parsed.put(id, new SecretKeySpec(bytes, "AES"));
        });
    if (parsed.isEmpty()) {
      throw new IllegalStateException(
          "No token encryption key is configured (paybridge.oauth.token-encryption.keys.<id>)");
    }
    this.keys = Map.copyOf(parsed);
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
    return KEY_ID.matcher(keyId).matches();
  }

  /** The ids of the keys this instance holds, sorted. */
  public SortedSet<String> keyIds() {
    return new TreeSet<>(keys.keySet());
  }

  public boolean holds(String keyId) {
    return keyId != null && keys.containsKey(keyId);
  }

  /**
   * Encrypts {@code token} for {@code merchantId} under the key {@code keyId}.
   *
   * @throws TokenKeyUnavailableException when this instance does not hold that key
   */
  public String encrypt(String keyId, String token, String merchantId) {
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new TokenKeyUnavailableException(keyId);
    }
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(merchantId));
      byte[] sealed = cipher.doFinal(token.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
      return VERSION
          + "."
          + keyId
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not encrypt a token", e);
    }
  }

  /**
   * Decrypts a ciphertext made by {@link #encrypt} for {@code merchantId}.
   *
   * @throws TokenKeyUnavailableException when this instance does not hold its key
   * @throws IllegalStateException when it is not a token ciphertext or does not authenticate
   */
  public String decrypt(String ciphertext, String merchantId) {
    String[] parts = ciphertext.split("\\.", 3);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      throw new IllegalStateException("Not a token ciphertext");
    }
    SecretKey key = keys.get(parts[1]);
    if (key == null) {
      throw new TokenKeyUnavailableException(parts[1]);
    }
    try {
      byte[] in = Base64.getUrlDecoder().decode(parts[2]);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      cipher.updateAAD(aad(merchantId));
      byte[] plain = cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // Never include the ciphertext or key material in the message.
      throw new IllegalStateException("A stored token could not be decrypted");
    }
  }

  /** The key id a ciphertext was made with. */
  public static String keyIdOf(String ciphertext) {
    String[] parts = ciphertext.split("\\.", 3);
    return parts.length == 3 ? parts[1] : null;
  }

  private static byte[] aad(String merchantId) {
    return ("paybridge-merchant-token:" + merchantId).getBytes(StandardCharsets.UTF_8);
  }
}
