package io.paybridge.oauth.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.oauth.support.ServiceInstance;
import io.paybridge.platform.testsupport.http.Http;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * A key rotation during a rolling deploy: the suite's instance is the new pod (both keys, its
 * configuration naming the new one), a second instance of the service on the same database is the
 * old pod (the old key only, its configuration naming the old one).
 */
@ExtendWith(OutputCaptureExtension.class)
class RollingKeyRotationIT extends IntegrationHarness {

  private static final String OLD = "test-2025";
  private static final String NEW = "test-2026";
  private static final String TEAM = "team-rotation";

  @Autowired TokenEncryptionProperties encryption;
  @Autowired KeyRotation rotation;

  private ServiceInstance oldPod;
  private String corrupt;

  @AfterEach
  void leaveTheClusterAsTheSuiteExpectsIt() {
    if (oldPod != null) {
      oldPod.close();
    }
    if (corrupt != null) {
      jdbc.update("delete from merchant_token where merchant_id = ?", corrupt);
    }
    activate(NEW);
    rotation.rotate();
  }

  @Test
  void aKeyRotationWithOldAndNewInstancesRunningNeverLeavesAnInstanceUnableToReadATokenForward(
      CapturedOutput output) {
    // Before the rotation: the cluster encrypts with the old key, which every instance holds.
    assertThat(activate(OLD).status()).isEqualTo(200);
    rotation.rotate();
    assertThat(tokensUnder(NEW)).isZero();
    oldPod = ServiceInstance.start(world, Map.of(OLD, key(OLD)), Map.of("active-key-id", OLD));

    // (a) The new pod's configuration names the new key, but the cluster still says the old one:
    // new tokens from either pod are under the old key, and the new pod's rotation moves nothing.
    String viaNewPod = connectVia(url(""));
    String viaOldPod = connectVia(oldPod.url(""));
    assertThat(keyOf(viaNewPod)).isEqualTo(OLD);
    assertThat(keyOf(viaOldPod)).isEqualTo(OLD);
    rotation.rotate();
    assertThat(tokensUnder(NEW)).isZero();
    everyTokenIsServedByBothPods();

    // Activating the new key is refused while the old pod, which lacks it, runs.
    var inventory = Http.get(url("/operations/token-encryption-keys"), operator()).json();
    String oldPodId = instanceHolding(inventory, List.of(OLD));
    var refused = activate(NEW);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/token-key-not-held");
    assertThat(refused.json().get("instancesWithoutKey").valueStream().map(JsonNode::asString))
        .containsExactly(oldPodId);
    assertThat(activeKey()).isEqualTo(OLD);
    assertThat(connectVia(url(""))).satisfies(id -> assertThat(keyOf(id)).isEqualTo(OLD));
    everyTokenIsServedByBothPods();

    // (d) One token that no longer decrypts, among the others.
    corrupt = connectVia(url(""));
    String sealed = ciphertextOf(corrupt);
    jdbc.update(
        "update merchant_token set ciphertext = ? where merchant_id = ?",
        tampered(sealed),
        corrupt);

    // (b) The old pod gets the new key (a restart with the new secret); its configuration still
    // names the old key (c). Now the activation goes through, once.
    oldPod.close();
    oldPod =
        ServiceInstance.start(
            world, Map.of(OLD, key(OLD), NEW, key(NEW)), Map.of("active-key-id", OLD));
    everyTokenIsServedByBothPods();
    var activated = activate(NEW);
    assertThat(activated.status()).as(activated.body()).isEqualTo(200);
    assertThat(activated.json().get("changed").asBoolean()).isTrue();
    assertThat(activated.json().get("activatedBy").asString()).startsWith("ops-rotation");
    var again = activate(NEW);
    assertThat(again.json().get("changed").asBoolean()).isFalse();
    assertThat(again.json().get("activatedAt")).isEqualTo(activated.json().get("activatedAt"));

    assertThat(keyOf(connectVia(url("")))).isEqualTo(NEW);
    assertThat(keyOf(connectVia(oldPod.url("")))).isEqualTo(NEW);
    everyTokenIsServedByBothPods();

    // (c) The pod whose configuration names the old key rotates towards the cluster's key only,
    // past the corrupt token (d).
    assertThat(tokensUnder(OLD)).isGreaterThan(1);
    oldPod.bean(KeyRotation.class).rotate();
    assertThat(tokensNotUnder(NEW)).containsExactly(corrupt);
    rotation.rotate();
    assertThat(tokensNotUnder(NEW)).containsExactly(corrupt);
    everyTokenIsServedByBothPods();

    // (d) The corrupt token was skipped, reported once by merchant id, and is not retried.
    rotation.rotate();
    assertThat(
            jdbc.queryForObject(
                "select reencrypt_failure from merchant_token where merchant_id = ?",
                String.class,
                corrupt))
        .isEqualTo("undecryptable");
    assertThat(
            Pattern.compile("Skipped re-encrypting the token of merchant " + corrupt)
                .matcher(output.getAll())
                .results()
                .count())
        .isEqualTo(1);
    String storedData = ciphertextOf(corrupt).substring(ciphertextOf(corrupt).lastIndexOf('.') + 1);
    assertThat(output.getAll()).doesNotContain(storedData);
    assertThat(Http.get(managementUrl("/actuator/prometheus"), null).body())
        .containsPattern("paybridge_oauth_tokens_stale_key\\{[^}]*\\} 1\\.0")
        .containsPattern("paybridge_oauth_tokens_reencrypt_failed\\{[^}]*\\} 1\\.0");
    assertThat(Http.get(oldPod.managementUrl("/actuator/prometheus"), null).body())
        .containsPattern(
            "paybridge_oauth_tokens_reencrypt_failures_total\\{[^}]*reason=\"undecryptable\"[^}]*\\} 1\\.0");
    var after = Http.get(url("/operations/token-encryption-keys"), operator()).json();
    assertThat(after.get("activeKeyId").asString()).isEqualTo(NEW);
    assertThat(after.get("staleTokens").asLong()).isEqualTo(1);
    assertThat(after.get("failedTokens").asLong()).isEqualTo(1);
  }

  @Test
  void anInstanceStartedWithoutTheActiveKeyIsNotReadyAndEncryptsUnderNoOtherKey() {
    String connected = connectVia(url(""));
    assertThat(keyOf(connected)).isEqualTo(NEW);
    // A stale secret, after the activation was checked.
    oldPod = ServiceInstance.start(world, Map.of(OLD, key(OLD)), Map.of("active-key-id", OLD));

    assertThat(Http.get(oldPod.managementUrl("/actuator/health/readiness"), null).status())
        .isEqualTo(503);
    assertThat(
            Http.get(oldPod.managementUrl("/actuator/health"), world.operationsToken())
                .json()
                .get("components")
                .get("tokenEncryption")
                .get("status")
                .asString())
        .isEqualTo("DOWN");

    var read = tokenFrom(oldPod.url(""), connected);
    assertThat(read.status()).isEqualTo(503);
    assertThat(read.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/token-key-unavailable");

    var started =
        Http.postJson(oldPod.url("/merchant-connections"), world.teamToken(TEAM), "{}").json();
    String merchantId = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);
    var back = Http.get(oldPod.url(callback.substring(callback.indexOf("/oauth/callback"))), null);
    // The token cannot be stored under another key: the connection fails (its token revoked at
    // GoCardless by the callback's storage-failure path) rather than waiting for its expiry.
    assertThat(back.status()).as(back.body()).isEqualTo(303);
    assertThat(Http.query(back.location()))
        .containsEntry("outcome", "failed")
        .containsEntry("reason", "storage_failed");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from merchant_token where merchant_id = ?",
                Integer.class,
                merchantId))
        .isZero();
    assertThat(Http.get(oldPod.managementUrl("/actuator/prometheus"), null).body())
        .containsPattern(
            "paybridge_oauth_token_key_unavailable_total\\{[^}]*operation=\"encrypt\"[^}]*\\} 1\\.0")
        .containsPattern(
            "paybridge_oauth_token_key_unavailable_total\\{[^}]*operation=\"decrypt\"[^}]*\\} 1\\.0");
  }

  /** The whole connect journey, with the merchant's callback routed to the given instance. */
  private String connectVia(String base) {
    var started = Http.postJson(base + "/merchant-connections", world.teamToken(TEAM), "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String callback = consent(started.json().get("authorisationUrl").asString(), null, true);
    String routed = base + callback.substring(callback.indexOf("/oauth/callback"));
    var back = Http.get(routed, null);
    assertThat(back.status()).as(back.body()).isEqualTo(303);
    assertThat(Http.query(back.location())).containsEntry("outcome", "connected");
    return started.json().get("merchantId").asString();
  }

  /** Every stored token (the corrupt one aside) is answered by both pods' token endpoints. */
  private void everyTokenIsServedByBothPods() {
    List<String> merchants =
        jdbc.queryForList(
            "select merchant_id from merchant_token where merchant_id <> coalesce(?, '')",
            String.class,
            corrupt);
    assertThat(merchants).isNotEmpty();
    for (String merchantId : merchants) {
      var fromNew = tokenFrom(url(""), merchantId);
      var fromOld = tokenFrom(oldPod.url(""), merchantId);
      assertThat(fromNew.status()).as("new pod, merchant " + merchantId).isEqualTo(200);
      assertThat(fromOld.status()).as("old pod, merchant " + merchantId).isEqualTo(200);
      assertThat(fromOld.json().get("accessToken")).isEqualTo(fromNew.json().get("accessToken"));
    }
  }

  private Http.Response tokenFrom(String base, String merchantId) {
    return Http.get(
        base + "/internal/merchants/" + merchantId + "/access-token",
        world.serviceToken("billing-service", true));
  }

  private Http.Response activate(String keyId) {
    return Http.putJson(
        url("/operations/token-encryption-keys/active"),
        operator(),
        "{\"keyId\":\"" + keyId + "\"}");
  }

  private String activeKey() {
    return Http.get(url("/operations/token-encryption-keys"), operator())
        .json()
        .get("activeKeyId")
        .asString();
  }

  private static String operator() {
    return world.operatorToken("ops-rotation", true);
  }

  private static String instanceHolding(JsonNode inventory, List<String> keyIds) {
    return inventory
        .get("instances")
        .valueStream()
        .filter(i -> i.get("keyIds").valueStream().map(JsonNode::asString).toList().equals(keyIds))
        .map(i -> i.get("instanceId").asString())
        .reduce(
            (a, b) -> {
              throw new AssertionError("More than one instance holds exactly " + keyIds);
            })
        .orElseThrow(() -> new AssertionError("No instance holds exactly " + keyIds));
  }

  private String key(String keyId) {
    return encryption.keys().get(keyId);
  }

  private String keyOf(String merchantId) {
    return jdbc.queryForObject(
        "select key_id from merchant_token where merchant_id = ?", String.class, merchantId);
  }

  private int tokensUnder(String keyId) {
    return jdbc.queryForObject(
        "select count(*) from merchant_token where key_id = ?", Integer.class, keyId);
  }

  private List<String> tokensNotUnder(String keyId) {
    return jdbc.queryForList(
        "select merchant_id from merchant_token where key_id <> ?", String.class, keyId);
  }

  /** The ciphertext with one character of its sealed data changed: it no longer authenticates. */
  private static String tampered(String sealed) {
    int at = sealed.length() - 20;
    char c = sealed.charAt(at);
    return sealed.substring(0, at) + (c == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
  }
}
