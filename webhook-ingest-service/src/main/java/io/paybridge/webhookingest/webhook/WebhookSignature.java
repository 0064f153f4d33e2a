package io.paybridge.webhookingest.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GoCardless's webhook signature: the lowercase hex HMAC-SHA256 of the raw body, keyed with the
 * endpoint secret. Checked against every active secret, in constant time, before the body is
 * parsed.
 */
final class WebhookSignature {

  private static final String ALGORITHM = "HmacSHA256";

  private final List<SecretKeySpec> keys;

  WebhookSignature(List<String> secrets) {
    this.keys =
        secrets.stream()
            .map(secret -> new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM))
            .toList();
  }

  /** Whether {@code header} is the signature of {@code body} under one of the secrets. */
  boolean isValid(byte[] body, String header) {
    if (header == null || header.isEmpty()) {
      return false;
    }
    byte[] presented = header.getBytes(StandardCharsets.US_ASCII);
    boolean valid = false;
    for (SecretKeySpec key : keys) {
      byte[] expected =
          HexFormat.of().formatHex(hmac(key, body)).getBytes(StandardCharsets.US_ASCII);
      // Every key is tried whatever the outcome, so the time taken says nothing about which
      // matched.
      valid |= MessageDigest.isEqual(expected, presented);
    }
    return valid;
  }

  static String sign(String secret, byte[] body) {
    return HexFormat.of()
        .formatHex(
            hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM), body));
  }

  private static byte[] hmac(SecretKeySpec key, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
