package io.paybridge.platform.crypto;

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
 * AES-256-GCM with key ids, for values kept at rest (merchant tokens, personal data). A ciphertext
 * reads {@code v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>}: the key id travels with it, so any
 * key this instance holds can decrypt it, and a rotation can find what is still under an old key.
 * Which key encrypts is the caller's choice (its active key), never this class's. The caller's
 * context (for example the row's id) is authenticated data: a ciphertext copied onto another row
 * does not decrypt.
 *
 * <p>Key material: Base64 of 32 random bytes per key id, from the secret store; key ids are
 * letters, digits, {@code -} and {@code _}, at most 32.
 */
public final class KeyedCipher {

  private static final String VERSION = "v1";
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Map<String, SecretKey> keys;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param base64Keys the keys by id
   * @param name what the keys are, for messages ({@code "token encryption key"})
   * @throws IllegalStateException when a key id or key is malformed, or there is none
   */
  public KeyedCipher(Map<String, String> base64Keys, String name) {
    var parsed = new LinkedHashMap<String, SecretKey>();
    base64Keys.forEach(
        (id, value) -> {
          if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalStateException(capitalised(name) + " id '" + id + "' is not valid");
          }
          byte[] bytes;
          try {
            bytes = Base64.getDecoder().decode(value.trim());
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException(capitalised(name) + " '" + id + "' is not Base64");
          }
          if (bytes.length != 32) {
            throw new IllegalStateException(
                capitalised(name) + " '" + id + "' must be 32 bytes (AES-256)");
          }
          parsed.put(id, new SecretKeySpec(bytes, "AES"));
        });
    if (parsed.isEmpty()) {
      throw new IllegalStateException("No " + name + " is configured");
    }
    this.keys = Map.copyOf(parsed);
  }

  /** Whether {@code keyId} can name a key (it travels inside every ciphertext). */
  public static boolean isValidKeyId(String keyId) {
    return keyId != null && KEY_ID.matcher(keyId).matches();
  }

  /** The ids of the keys this instance holds, sorted. */
  public SortedSet<String> keyIds() {
    return new TreeSet<>(keys.keySet());
  }

  public boolean holds(String keyId) {
    return keyId != null && keys.containsKey(keyId);
  }

  /**
   * Encrypts {@code plaintext} under the key {@code keyId}, bound to {@code context}.
   *
   * @throws KeyUnavailableException when this instance does not hold that key
   */
  public String encrypt(String keyId, String plaintext, String context) {
    byte[] out = seal(keyId, plaintext.getBytes(StandardCharsets.UTF_8), context);
    return VERSION
        + "."
        + keyId
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  /**
   * Decrypts a ciphertext made by {@link #encrypt} with the same {@code context}.
   *
   * @throws KeyUnavailableException when this instance does not hold its key
   * @throws IllegalStateException when it is not such a ciphertext or does not authenticate (the
   *     message never carries the ciphertext or key material)
   */
  public String decrypt(String ciphertext, String context) {
    String[] parts = ciphertext.split("\\.", 3);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      throw new IllegalStateException("Not a ciphertext of this format");
    }
    byte[] in;
    try {
      in = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("A stored value could not be decrypted");
    }
    return new String(open(parts[1], in, context), StandardCharsets.UTF_8);
  }

  /**
   * Encrypts bytes under the key {@code keyId}, bound to {@code context}, for a caller that keeps
   * the key id beside the result (a column of its own): {@code iv ‖ ciphertext ‖ tag}, the bytes
   * {@link #encrypt} writes in Base64.
   *
   * @throws KeyUnavailableException when this instance does not hold that key
   */
  public byte[] seal(String keyId, byte[] plaintext, String context) {
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new KeyUnavailableException(keyId);
    }
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * Decrypts what {@link #seal} made under {@code keyId} with the same {@code context}.
   *
   * @throws KeyUnavailableException when this instance does not hold that key
   * @throws IllegalStateException when it does not authenticate (the message never carries the
   *     ciphertext or key material)
   */
  public byte[] open(String keyId, byte[] sealed, String context) {
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new KeyUnavailableException(keyId);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("A stored value could not be decrypted");
    }
  }

  /** The key id a ciphertext was made with, or {@code null} when it is not such a ciphertext. */
  public static String keyIdOf(String ciphertext) {
    if (ciphertext == null) {
      return null;
    }
    String[] parts = ciphertext.split("\\.", 3);
    return parts.length == 3 && VERSION.equals(parts[0]) ? parts[1] : null;
  }

  private static String capitalised(String name) {
    return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
