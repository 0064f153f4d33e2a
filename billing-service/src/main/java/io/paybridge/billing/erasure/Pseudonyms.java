package io.paybridge.billing.erasure;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * The pseudonym of a GoCardless customer id: {@code erased-} and the first 32 hex digits of
 * HMAC-SHA256(key, customer id). Deterministic, so that the financial records of one erased payer
 * still join, and the same payer asked again is found again; keyed, so that it cannot be reversed
 * by hashing guessed ids.
 */
@Component
class Pseudonyms {

  static final String PREFIX = "erased-";

  private final ErasureProperties properties;

  Pseudonyms(ErasureProperties properties) {
    this.properties = properties;
  }

  String of(String customerId) {
    String key = properties.pseudonymKey();
    if (key == null || key.length() < 32) {
      throw new ErasureUnavailableException(
          "No pseudonym key of at least 32 characters is configured"
              + " (paybridge.billing.erasure.pseudonym-key)");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] hash = mac.doFinal(customerId.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(hash, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
