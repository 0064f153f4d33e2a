package io.paybridge.oauth.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.Http;
import io.paybridge.oauth.support.IntegrationHarness;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class KeyRotationIT extends IntegrationHarness {

  @Autowired TokenEncryptionProperties encryption;
  @Autowired KeyRotation rotation;

  @Test
  void tokensUnderAnOldKeyStayReadableAndAreReencryptedUnderTheActiveKey() {
    String merchantId = connectNewMerchant("team-a");
    String token = reveal(merchantId);
    // As if stored before the rotation: encrypted under the previous key.
    var before = new TokenCipher(encryption.keys(), "test-2025");
    jdbc.update(
        "update merchant_token set key_id = 'test-2025', ciphertext = ? where merchant_id = ?",
        before.encrypt(token, merchantId),
        merchantId);

    // Still served while the rotation has not reached it: no downtime.
    assertThat(reveal(merchantId)).isEqualTo(token);
    assertThat(Http.get(url("/actuator/prometheus"), null).body())
        .containsPattern("paybridge_oauth_tokens_stale_key\\{[^}]*\\} [1-9]");

    assertThat(rotation.rotate()).isPositive();

    String stored =
        jdbc.queryForObject(
            "select ciphertext from merchant_token where merchant_id = ?",
            String.class,
            merchantId);
    assertThat(stored).startsWith("v1.test-2026.");
    assertThat(
            jdbc.queryForObject(
                "select key_id from merchant_token where merchant_id = ?",
                String.class,
                merchantId))
        .isEqualTo("test-2026");
    assertThat(reveal(merchantId)).isEqualTo(token);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from merchant_token where key_id <> 'test-2026'", Integer.class))
        .isZero();
  }

  @Test
  void aCiphertextMovedToAnotherMerchantDoesNotDecrypt() {
    String first = connectNewMerchant("team-a");
    String second = connectNewMerchant("team-a");
    jdbc.update(
        "update merchant_token set ciphertext = (select ciphertext from merchant_token where merchant_id = ?)"
            + " where merchant_id = ?",
        first,
        second);

    var response =
        Http.get(
            url("/internal/merchants/" + second + "/access-token"),
            world.serviceToken("billing-service", true));

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.body()).doesNotContain(reveal(first));
  }

  private String reveal(String merchantId) {
    return Http.get(
            url("/internal/merchants/" + merchantId + "/access-token"),
            world.serviceToken("billing-service", true))
        .json()
        .get("accessToken")
        .asString();
  }
}
