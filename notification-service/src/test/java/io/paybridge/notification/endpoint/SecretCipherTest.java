package io.paybridge.notification.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Signing secrets stored before the cipher moved onto platform/crypto still decrypt: the stored
 * form (key id beside {@code nonce ‖ AES-256-GCM ciphertext ‖ tag}, the endpoint id as associated
 * data) is made here with the JDK's cipher directly, not with the code under test.
 */
class SecretCipherTest {

  private static final byte[] KEY =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final String ENDPOINT = "0b6f1c7e-9d0f-4c55-8f3e-2d4c1a7b9e10";

  private final SecretCipher cipher =
      new SecretCipher(
          new SecretProperties(Map.of("k1", Base64.getEncoder().encodeToString(KEY)), "k1"));

  @Test
  void aSecretStoredInTheFormerFormatDecrypts() throws Exception {
    byte[] secret = "whsec-former-format".getBytes(StandardCharsets.UTF_8);
    byte[] stored = storedTheFormerWay(secret, ENDPOINT);

    assertThat(cipher.decrypt("k1", stored, ENDPOINT)).isEqualTo(secret);
  }

  @Test
  void whatItStoresIsTheFormerFormat() throws Exception {
    byte[] secret = {0, (byte) 0xff, 1, (byte) 0x80, 2};
    byte[] stored = cipher.encrypt(secret, ENDPOINT);

    var jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(KEY, "AES"),
        new GCMParameterSpec(128, stored, 0, 12));
    jdk.updateAAD(ENDPOINT.getBytes(StandardCharsets.UTF_8));
    assertThat(jdk.doFinal(stored, 12, stored.length - 12)).isEqualTo(secret);
    assertThat(cipher.activeKeyId()).isEqualTo("k1");
  }

  @Test
  void anotherEndpointsCiphertextOrAnUnknownKeyDoesNotDecrypt() throws Exception {
    byte[] stored = storedTheFormerWay(new byte[] {1, 2, 3}, ENDPOINT);

    assertThatThrownBy(() -> cipher.decrypt("k1", stored, "another-endpoint"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not decrypt");
    assertThatThrownBy(() -> cipher.decrypt("k2", stored, ENDPOINT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not configured");
  }

  private static byte[] storedTheFormerWay(byte[] secret, String endpointId) throws Exception {
    byte[] nonce = HexFormat.of().parseHex("cafebabefacedbaddecaf888");
    var jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, nonce));
    jdk.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
    byte[] sealed = jdk.doFinal(secret);
    return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
  }
}
