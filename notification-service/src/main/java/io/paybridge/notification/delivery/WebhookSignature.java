package io.paybridge.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} + Base64(HMAC-SHA256(key, id + "." + timestamp + "." +
 * body)), one per key, space-separated (several while a secret rotates).
 */
final class WebhookSignature {

  private WebhookSignature() {}

  static String sign(String webhookId, long timestamp, byte[] body, List<byte[]> keys) {
    var signatures = new StringJoiner(" ");
    byte[] prefix = (webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    for (byte[] key : keys) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(prefix);
        signatures.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal(body)));
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    }
    return signatures.toString();
  }
}
