package io.paybridge.oauth.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCipherTest {

  private static final String OLD = key();
  private static final String NEW = key();
  private static final String TOKEN = "sandbox_e0a6P4wVhKxqkqTi2rWZ5fZfA2mu5r3ya2hX1v8T";

  @Test
  void encryptsUnderTheActiveKeyWithItsIdAndDecryptsWithAnyConfiguredKey() {
    var before = new TokenCipher(Map.of("k1", OLD), "k1");
    var after = new TokenCipher(Map.of("k1", OLD, "k2", NEW), "k2");

    String old = before.encrypt(TOKEN, "merchant-1");
    String fresh = after.encrypt(TOKEN, "merchant-1");

    assertThat(old).startsWith("v1.k1.").doesNotContain(TOKEN);
    assertThat(fresh).startsWith("v1.k2.");
    assertThat(TokenCipher.keyIdOf(fresh)).isEqualTo("k2");
    assertThat(after.decrypt(old, "merchant-1")).isEqualTo(TOKEN);
    assertThat(after.decrypt(fresh, "merchant-1")).isEqualTo(TOKEN);
    // A fresh IV each time: equal tokens do not give equal ciphertexts.
    assertThat(after.encrypt(TOKEN, "merchant-1")).isNotEqualTo(fresh);
  }

  @Test
  void refusesTamperingAnotherMerchantAndUnknownKeys() {
    var cipher = new TokenCipher(Map.of("k1", OLD), "k1");
    String sealed = cipher.encrypt(TOKEN, "merchant-1");
    // A character inside the data (the last one may carry only padding bits).
    int at = sealed.length() - 20;
    char c = sealed.charAt(at);
    String tampered = sealed.substring(0, at) + (c == 'A' ? 'B' : 'A') + sealed.substring(at + 1);

    assertThatThrownBy(() -> cipher.decrypt(tampered, "merchant-1"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cipher.decrypt(sealed, "merchant-2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(sealed);
    assertThatThrownBy(() -> new TokenCipher(Map.of("k2", NEW), "k2").decrypt(sealed, "merchant-1"))
        .hasMessageContaining("'k1' is not configured");
  }

  @Test
  void refusesKeysThatAreNotAes256OrAnActiveKeyThatIsNotConfigured() {
    assertThatThrownBy(() -> new TokenCipher(Map.of("k1", "c2hvcnQ="), "k1"))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new TokenCipher(Map.of("k1", OLD), "k9"))
        .hasMessageContaining("active-key-id");
    assertThatThrownBy(() -> new TokenCipher(Map.of("bad.id", OLD), "bad.id"))
        .hasMessageContaining("not valid");
  }

  private static String key() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
