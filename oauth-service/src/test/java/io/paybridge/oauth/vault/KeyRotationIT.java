package io.paybridge.oauth.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class KeyRotationIT extends IntegrationHarness {

  @Autowired TokenEncryptionProperties encryption;
  @Autowired KeyRotation rotation;

  @Test
  void tokensUnderAnOldKeyStayReadableAndAreReencryptedUnderTheActiveKey() {
    String merchantId = connectNewMerchant("team-a");
    String token = token(merchantId);
    // As if stored before the rotation: encrypted under the previous key.
    var before = new TokenCipher(encryption.keys());
    jdbc.update(
        "update merchant_token set key_id = 'test-2025', ciphertext = ? where merchant_id = ?",
        before.encrypt("test-2025", token, merchantId),
        merchantId);

    // Still served while the rotation has not reached it: no downtime.
    assertThat(token(merchantId)).isEqualTo(token);

    var run = rotation.rotate();

    assertThat(run.rotated()).isPositive();
    assertThat(run.staleTokens()).isZero();
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
    assertThat(token(merchantId)).isEqualTo(token);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from merchant_token where key_id <> 'test-2026'", Integer.class))
        .isZero();
    assertThat(Http.get(managementUrl("/actuator/prometheus"), null).body())
        .containsPattern("paybridge_oauth_tokens_stale_key\\{[^}]*\\} 0\\.0")
        .containsPattern("paybridge_oauth_tokens_reencrypt_failed\\{[^}]*\\} 0\\.0");
  }

  @Test
  void aCiphertextMovedToAnotherMerchantDoesNotDecrypt() {
    String first = connectNewMerchant("team-a");
    String second = connectNewMerchant("team-a");
    String own = ciphertextOf(second);
    jdbc.update(
        "update merchant_token set ciphertext = (select ciphertext from merchant_token where merchant_id = ?)"
            + " where merchant_id = ?",
        first,
        second);
    try {
      var response =
          Http.get(
              url("/internal/merchants/" + second + "/access-token"),
              world.serviceToken("billing-service", true));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.body()).doesNotContain(token(first));
    } finally {
      jdbc.update("update merchant_token set ciphertext = ? where merchant_id = ?", own, second);
    }
  }

  @Test
  void aTokenUnderAKeyThisInstanceLacksAnswers503AndIsAudited() {
    String merchantId = connectNewMerchant("team-a");
    String token = token(merchantId);
    String own = ciphertextOf(merchantId);
    var elsewhere = new TokenCipher(Map.of("test-2099", randomKey()));
    jdbc.update(
        "update merchant_token set key_id = 'test-2099', ciphertext = ? where merchant_id = ?",
        elsewhere.encrypt("test-2099", token, merchantId),
        merchantId);
    try {
      var response =
          Http.get(
              url("/internal/merchants/" + merchantId + "/access-token"),
              world.serviceToken("billing-service", true));

      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("Content-Type")).startsWith("application/problem+json");
      assertThat(response.header("Retry-After")).isNotBlank();
      assertThat(response.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/token-key-unavailable");
      assertThat(response.json().get("detail").asString()).contains("test-2099");
      assertThat(response.body()).doesNotContain(token);
      assertThat(
              jdbc.queryForObject(
                  "select outcome from token_access_audit where merchant_id = ?"
                      + " order by id desc limit 1",
                  String.class,
                  merchantId))
          .isEqualTo("key_unavailable");
    } finally {
      jdbc.update(
          "update merchant_token set key_id = 'test-2026', ciphertext = ? where merchant_id = ?",
          own,
          merchantId);
    }
  }

  @Test
  void keyOperationsNeedTheKeyManagementScopeAndAKeyEveryInstanceHolds() {
    String operator = world.operatorToken("ops-alice", true);
    String inventoryUrl = url("/operations/token-encryption-keys");

    assertThat(Http.get(inventoryUrl, world.operatorToken("ops-bob", false)).status())
        .isEqualTo(403);
    assertThat(Http.get(inventoryUrl, world.serviceToken("billing-service", true)).status())
        .isEqualTo(403);
    assertThat(
            Http.putJson(
                    url("/operations/token-encryption-keys/active"),
                    world.teamToken("team-a"),
                    "{\"keyId\":\"test-2025\"}")
                .status())
        .isEqualTo(403);

    var inventory = Http.get(inventoryUrl, operator);
    assertThat(inventory.status()).isEqualTo(200);
    assertThat(inventory.json().get("activeKeyId").asString()).isEqualTo("test-2026");
    assertThat(inventory.json().get("instances").valueStream())
        .anySatisfy(
            instance ->
                assertThat(instance.get("keyIds").valueStream().map(k -> k.asString()))
                    .containsExactly("test-2025", "test-2026"));

    var unknown =
        Http.putJson(
            url("/operations/token-encryption-keys/active"), operator, "{\"keyId\":\"test-2099\"}");
    assertThat(unknown.status()).isEqualTo(409);
    assertThat(unknown.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/token-key-not-held");
    assertThat(unknown.json().get("instancesWithoutKey").size()).isPositive();

    var malformed =
        Http.putJson(
            url("/operations/token-encryption-keys/active"), operator, "{\"keyId\":\"a.b\"}");
    assertThat(malformed.status()).isEqualTo(400);

    var unchanged =
        Http.putJson(
            url("/operations/token-encryption-keys/active"), operator, "{\"keyId\":\"test-2026\"}");
    assertThat(unchanged.status()).isEqualTo(200);
    assertThat(unchanged.json().get("changed").asBoolean()).isFalse();
    assertThat(Http.get(inventoryUrl, operator).json().get("activeKeyId").asString())
        .isEqualTo("test-2026");
  }

  private static String randomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
