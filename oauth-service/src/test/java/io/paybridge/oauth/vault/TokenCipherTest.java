package io.paybridge.oauth.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCipherTest {

  private static final String OLD = key();
  private static final String NEW = key();
  private static final String TOKEN = "sandbox_e0a6P4wVhKxqkqTi2rWZ5fZfA2mu5r3ya2hX1v8T";

  @Test
  void encryptsUnderTheGivenKeyWithItsIdAndDecryptsWithAnyConfiguredKey() {
    var before = new TokenCipher(Map.of("k1", OLD));
    var after = new TokenCipher(Map.of("k1", OLD, "k2", NEW));

    String old = before.encrypt("k1", TOKEN, "merchant-1");
    String fresh = after.encrypt("k2", TOKEN, "merchant-1");

    assertThat(old).startsWith("v1.k1.").doesNotContain(TOKEN);
    assertThat(fresh).startsWith("v1.k2.");
    assertThat(TokenCipher.keyIdOf(fresh)).isEqualTo("k2");
    assertThat(after.decrypt(old, "merchant-1")).isEqualTo(TOKEN);
    assertThat(after.decrypt(fresh, "merchant-1")).isEqualTo(TOKEN);
    // A fresh IV each time: equal tokens do not give equal ciphertexts.
    assertThat(after.encrypt("k2", TOKEN, "merchant-1")).isNotEqualTo(fresh);
  }

  @Test
  void refusesTamperingAnotherMerchantAndUnknownKeys() {
    var cipher = new TokenCipher(Map.of("k1", OLD));
    String sealed = cipher.encrypt("k1", TOKEN, "merchant-1");
    // A character inside the data (the last one may carry only padding bits).
    int at = sealed.length() - 20;
    char c = sealed.charAt(at);
    String tampered = sealed.substring(0, at) + (c == 'A' ? 'B' : 'A') + sealed.substring(at + 1);

    assertThatThrownBy(() -> cipher.decrypt(tampered, "merchant-1"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cipher.decrypt(sealed, "merchant-2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(sealed);
    assertThatThrownBy(() -> new TokenCipher(Map.of("k2", NEW)).decrypt(sealed, "merchant-1"))
        .isInstanceOf(TokenKeyUnavailableException.class)
        .hasMessageContaining("'k1' is not configured");
    assertThatThrownBy(() -> cipher.encrypt("k2", TOKEN, "merchant-1"))
        .isInstanceOf(TokenKeyUnavailableException.class);
  }

  @Test
  void refusesKeysThatAreNotAes256OrAnInitialKeyThatIsNotConfigured() {
    assertThatThrownBy(() -> new TokenCipher(Map.of("k1", "c2hvcnQ=")))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new TokenCipher(Map.of()))
        .hasMessageContaining("No token encryption key");
    assertThatThrownBy(() -> new TokenCipher(Map.of("bad.id", OLD)))
        .hasMessageContaining("not valid");
    assertThatThrownBy(() -> TokenCipher.from(properties(null, "k9")))
        .hasMessageContaining("initial-active-key-id");
    assertThatThrownBy(() -> TokenCipher.from(properties("k9", null)))
        .hasMessageContaining("initial-active-key-id");
    assertThat(TokenCipher.from(properties(null, "k1")).keyIds()).containsExactly("k1");
  }

  @Test
  void theFormerPropertyNameStillSeedsAndTheNewOneWins() {
    assertThat(properties(null, "k1").bootstrapKeyId()).isEqualTo("k1");
    assertThat(properties("k2", "k1").bootstrapKeyId()).isEqualTo("k2");
    assertThat(properties("", "").bootstrapKeyId()).isNull();
    assertThat(properties(null, "k1").toString()).doesNotContain(OLD).contains("k1");
  }

  private static TokenEncryptionProperties properties(String initial, String former) {
    return new TokenEncryptionProperties(
        Map.of("k1", OLD),
        initial,
        former,
        Duration.ofMinutes(1),
        100,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30));
  }

  private static String key() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
