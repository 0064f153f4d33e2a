package io.paybridge.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyedCipherTest {

  private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String K2 = Base64.getEncoder().encodeToString(filled(32, (byte) 7));

  private static byte[] filled(int length, byte value) {
    byte[] bytes = new byte[length];
    java.util.Arrays.fill(bytes, value);
    return bytes;
  }

  private final KeyedCipher cipher = new KeyedCipher(Map.of("k1", K1, "k2", K2), "test key");

  @Test
  void aValueRoundTripsUnderEitherKeyAndNamesItsKey() {
    String sealed = cipher.encrypt("k1", "ada.lovelace@example.com", "row-1");
    // Words long enough that a random ciphertext cannot hold them by chance (a three-letter one,
    // "ada", turned up in the Base64 of about one ciphertext in four thousand).
    assertThat(sealed)
        .startsWith("v1.k1.")
        .doesNotContain("ada.lovelace@example.com", "lovelace", "example");
    assertThat(KeyedCipher.keyIdOf(sealed)).isEqualTo("k1");
    assertThat(cipher.decrypt(sealed, "row-1")).isEqualTo("ada.lovelace@example.com");

    String resealed = cipher.encrypt("k2", cipher.decrypt(sealed, "row-1"), "row-1");
    assertThat(KeyedCipher.keyIdOf(resealed)).isEqualTo("k2");
    assertThat(cipher.decrypt(resealed, "row-1")).isEqualTo("ada.lovelace@example.com");
    // A fresh IV each time: the same value never gives the same ciphertext.
    assertThat(cipher.encrypt("k1", "same", "row-1"))
        .isNotEqualTo(cipher.encrypt("k1", "same", "row-1"));
  }

  @Test
  void aCiphertextOfAnotherContextOrTamperedWithDoesNotDecrypt() {
    String sealed = cipher.encrypt("k1", "secret", "row-1");
    assertThatThrownBy(() -> cipher.decrypt(sealed, "row-2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(sealed);
    String tampered =
        sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
    assertThatThrownBy(() -> cipher.decrypt(tampered, "row-1"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cipher.decrypt("plain text", "row-1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aKeyNotHeldIsNamed() {
    var other = new KeyedCipher(Map.of("k3", K1), "test key");
    String sealed = other.encrypt("k3", "secret", "row-1");
    assertThatThrownBy(() -> cipher.decrypt(sealed, "row-1"))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("'k3'");
    assertThatThrownBy(() -> cipher.encrypt("k9", "secret", "row-1"))
        .isInstanceOf(KeyUnavailableException.class);
  }

  @Test
  void malformedKeysAreRefused() {
    assertThatThrownBy(() -> new KeyedCipher(Map.of("k1", "c2hvcnQ="), "test key"))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new KeyedCipher(Map.of(), "test key"))
        .hasMessageContaining("No test key is configured");
    assertThatThrownBy(() -> new KeyedCipher(Map.of("bad id", K1), "test key"))
        .hasMessageContaining("not valid");
    assertThatThrownBy(() -> new KeyedCipher(Map.of("k1", "not base64!"), "test key"))
        .hasMessageContaining("not Base64");
  }
}
