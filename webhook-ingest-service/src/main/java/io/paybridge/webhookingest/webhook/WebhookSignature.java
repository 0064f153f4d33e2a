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

  /**
   * One initialised MAC per secret, never used itself: each check works on a copy. Looking up the
   * provider and keying a new {@code Mac} for every delivery was three quarters of the check's
   * samples in a flight recording at saturation (docs/benchmarks.md, 2026-12-02 04:19).
   */
  private final List<Mac> keyed;

  WebhookSignature(List<String> secrets) {
    this.keyed =
        secrets.stream()
            .map(
                secret ->
                    keyedMac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM)))
            .toList();
  }

  /** Whether {@code header} is the signature of {@code body} under one of the secrets. */
  boolean isValid(byte[] body, String header) {
    if (header == null || header.isEmpty()) {
      return false;
    }
    byte[] presented = header.getBytes(StandardCharsets.US_ASCII);
    boolean valid = false;
    for (Mac prototype : keyed) {
      byte[] expected =
          HexFormat.of()
              .formatHex(copyOf(prototype).doFinal(body))
              .getBytes(StandardCharsets.US_ASCII);
      // Every key is tried whatever the outcome, so the time taken says nothing about which
      // matched.
      valid |= MessageDigest.isEqual(expected, presented);
    }
    return valid;
  }

  static String sign(String secret, byte[] body) {
    return HexFormat.of()
        .formatHex(
            keyedMac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM))
                .doFinal(body));
  }

  private static Mac keyedMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /** A copy in the keyed state: a {@code Mac} is not safe to share between threads. */
  private static Mac copyOf(Mac prototype) {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      // The JDK's own HMAC-SHA256 can be cloned; a provider whose cannot is a set-up error.
      throw new IllegalStateException(
          "HMAC-SHA256 of " + prototype.getProvider() + " cannot be copied", e);
    }
  }
}
