package io.paybridge.oauth.merchant;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The OAuth {@code state}: {@code base64url(v1|merchant|team|expiry|nonce) "." base64url(hmac)}.
 * Signed so that it cannot be forged, bound to a team and a connection, expiring, and carrying a
 * random nonce of which the connection keeps only a hash, so that it is unguessable even to someone
 * who can read the database.
 */
final class ConnectionState {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final String VERSION = "v1";

  private final byte[] key;
  private final SecureRandom random = new SecureRandom();

  ConnectionState(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalStateException(
          "paybridge.oauth.connect.state-signing-key is not set (Base64 of >= 32 random bytes)");
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("paybridge.oauth.connect.state-signing-key is not Base64");
    }
    if (decoded.length < 32) {
      throw new IllegalStateException(
          "paybridge.oauth.connect.state-signing-key must be at least 32 bytes");
    }
    this.key = decoded;
  }

  /** A new state for a connection, with its nonce (to be kept as a hash only). */
  Issued issue(String merchantId, String team, Instant expiresAt) {
    byte[] nonceBytes = new byte[32];
    random.nextBytes(nonceBytes);
    String nonce = B64.encodeToString(nonceBytes);
    String payload =
        String.join(
            "|", VERSION, merchantId, team, Long.toString(expiresAt.getEpochSecond()), nonce);
    String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    return new Issued(encoded + "." + B64.encodeToString(sign(encoded)), hash(nonce));
  }

  /**
   * Reads a state whose signature holds.
   *
   * @throws Refused when it is malformed or its signature does not match
   */
  Claims verify(String state) {
    if (state == null || state.length() > 1024) {
      throw new Refused(Refusal.MALFORMED);
    }
    int dot = state.indexOf('.');
    if (dot <= 0 || dot == state.length() - 1) {
      throw new Refused(Refusal.MALFORMED);
    }
    String encoded = state.substring(0, dot);
    byte[] signature;
    try {
      signature = B64D.decode(state.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw new Refused(Refusal.MALFORMED);
    }
    // Constant time: a timing side channel must not reveal how much of a guess was right.
    if (!MessageDigest.isEqual(sign(encoded), signature)) {
      throw new Refused(Refusal.FORGED);
    }
    String[] parts;
    try {
      parts = new String(B64D.decode(encoded), StandardCharsets.UTF_8).split("\\|", -1);
    } catch (IllegalArgumentException e) {
      throw new Refused(Refusal.MALFORMED);
    }
    if (parts.length != 5 || !VERSION.equals(parts[0])) {
      throw new Refused(Refusal.MALFORMED);
    }
    try {
      return new Claims(
          parts[1], parts[2], Instant.ofEpochSecond(Long.parseLong(parts[3])), hash(parts[4]));
    } catch (NumberFormatException e) {
      throw new Refused(Refusal.MALFORMED);
    }
  }

  static boolean sameHash(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] sign(String encoded) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(encoded.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hash(String nonce) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  record Issued(String state, String nonceHash) {}

  record Claims(String merchantId, String team, Instant expiresAt, String nonceHash) {}

  /** Why a callback's state was refused; the wire value is recorded. */
  enum Refusal {
    MALFORMED,
    FORGED,
    EXPIRED,
    REPLAYED,
    FOREIGN;

    String wire() {
      return name().toLowerCase();
    }
  }

  static final class Refused extends RuntimeException {
    final Refusal refusal;

    Refused(Refusal refusal) {
      super("state refused: " + refusal.wire(), null, false, false);
      this.refusal = refusal;
    }
  }
}
