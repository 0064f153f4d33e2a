package io.paybridge.oauth.vault;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.oauth.vault.MerchantTokenRepository.ReencryptFailure;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The merchants' GoCardless access tokens, encrypted ({@code merchant_token}). A row exists exactly
 * while its merchant is connected or held for review: connecting stores it, disconnecting shreds
 * it. A held token is never revealed to callers until it is released. New tokens are encrypted
 * under the cluster's active key ({@link TokenKeys}), never under a key this instance would pick by
 * itself.
 */
@Component
public class TokenVault {

  private static final Logger log = LoggerFactory.getLogger(TokenVault.class);

  private final MerchantTokenRepository tokens;
  private final TokenKeys keys;
  private final TokenCipher cipher;
  private final MeterRegistry meters;
  private final Clock clock;
  private final int rotationBatchSize;

  TokenVault(
      MerchantTokenRepository tokens,
      TokenKeys keys,
      TokenCipher cipher,
      TokenEncryptionProperties properties,
      MeterRegistry meters,
      Clock clock) {
    this.tokens = tokens;
    this.keys = keys;
    this.cipher = cipher;
    this.meters = meters;
    this.clock = clock;
    this.rotationBatchSize = properties.rotationBatchSize();
  }

  /**
   * Stores (or replaces) a merchant's token under the cluster's active key; call inside the
   * connecting transaction.
   *
   * @throws TokenKeyUnavailableException when this instance does not hold the active key: the token
   *     is not stored under another key instead
   */
  public void store(String merchantId, String organisationId, String accessToken) {
    store(merchantId, organisationId, accessToken, false);
  }

  /**
   * Stores a token that {@link #reveal} does not give out until it is {@link #release}d; call
   * inside the transaction that holds the connection for review.
   *
   * @throws TokenKeyUnavailableException as {@link #store(String, String, String)}
   */
  public void hold(String merchantId, String organisationId, String accessToken) {
    store(merchantId, organisationId, accessToken, true);
  }

  /** Lets a held token out; call inside the transaction that confirms the connection. */
  public boolean release(String merchantId) {
    return tokens.release(merchantId);
  }

  private void store(String merchantId, String organisationId, String accessToken, boolean held) {
    String active = keys.activeKeyIdForWrite();
    if (!cipher.holds(active)) {
      keyUnavailable("encrypt");
      log.error(
          "Cannot store the token of merchant {}: this instance lacks the active key {}",
          merchantId,
          active);
      throw new TokenKeyUnavailableException(active);
    }
    tokens.upsert(
        merchantId,
        organisationId,
        active,
        cipher.encrypt(active, accessToken, merchantId),
        held,
        clock.instant());
  }

  /**
   * The token of a connected merchant; never a held one.
   *
   * @throws TokenKeyUnavailableException when this instance does not hold the token's key
   */
  public Optional<MerchantToken> reveal(String merchantId) {
    return reveal(merchantId, false);
  }

  /**
   * A held token, for the service itself only: to check it before release, or to revoke it when the
   * connection is rejected.
   *
   * @throws TokenKeyUnavailableException when this instance does not hold the token's key
   */
  public Optional<MerchantToken> revealHeld(String merchantId) {
    return reveal(merchantId, true);
  }

  private Optional<MerchantToken> reveal(String merchantId, boolean held) {
    return tokens
        .find(merchantId, held)
        .map(
            stored -> {
              try {
                return new MerchantToken(
                    merchantId,
                    stored.organisationId(),
                    cipher.decrypt(stored.ciphertext(), merchantId));
              } catch (TokenKeyUnavailableException e) {
                keyUnavailable("decrypt");
                throw e;
              }
            });
  }

  /** Forgets a merchant's token for good; call inside the disconnecting transaction. */
  public boolean shred(String merchantId) {
    return tokens.delete(merchantId);
  }

  /**
   * Re-encrypts up to one batch of tokens that are not under the cluster's active key, if this
   * instance holds it; never towards any other key. A token that does not decrypt is marked and
   * reported once, and the rest of the batch goes on.
   */
  @Transactional
  public Batch reencryptBatch() {
    String active = keys.activeKeyIdForWrite();
    if (!cipher.holds(active)) {
      return new Batch(active, false, 0, 0);
    }
    int rotated = 0;
    int failed = 0;
    for (var stored : tokens.lockNotUnder(active, rotationBatchSize)) {
      String merchantId = stored.merchantId();
      try {
        String plain = cipher.decrypt(stored.ciphertext(), merchantId);
        tokens.reencrypted(
            merchantId, active, cipher.encrypt(active, plain, merchantId), clock.instant());
        rotated++;
      } catch (TokenKeyUnavailableException e) {
        skip(merchantId, ReencryptFailure.KEY_UNAVAILABLE, e.keyId());
        failed++;
      } catch (IllegalStateException e) {
        skip(merchantId, ReencryptFailure.UNDECRYPTABLE, TokenCipher.keyIdOf(stored.ciphertext()));
        failed++;
      }
    }
    return new Batch(active, true, rotated, failed);
  }

  /** Stored tokens not under {@code keyId}, and how many of them the rotation skipped. */
  MerchantTokenRepository.Remaining remainingNotUnder(String keyId) {
    return tokens.remainingNotUnder(keyId);
  }

  private void skip(String merchantId, ReencryptFailure failure, String keyId) {
    tokens.reencryptFailed(merchantId, failure, clock.instant());
    meters.counter("paybridge.oauth.tokens.reencrypt.failures", "reason", failure.wire).increment();
    // Once per token: the mark keeps it out of later batches. Never the ciphertext.
    log.warn(
        "Skipped re-encrypting the token of merchant {} (key {}): {}; it is retried when another"
            + " key is activated or the token is stored again",
        merchantId,
        keyId,
        failure.wire);
  }

  private void keyUnavailable(String operation) {
    meters.counter("paybridge.oauth.token.key.unavailable", "operation", operation).increment();
  }

  /**
   * One batch of the rotation.
   *
   * @param activeKeyId the key the tokens were moved to
   * @param keyHeld false when this instance lacks the active key and so moved nothing
   * @param rotated tokens re-encrypted
   * @param failed tokens skipped (and marked) because they did not decrypt
   */
  public record Batch(String activeKeyId, boolean keyHeld, int rotated, int failed) {
    int processed() {
      return rotated + failed;
    }
  }

  /**
   * A merchant's decrypted access token.
   *
   * @param accessToken secret: never log it, never put it in an event
   */
  public record MerchantToken(String merchantId, String organisationId, String accessToken) {
    @Override
    public String toString() {
      return "MerchantToken[merchantId=" + merchantId + ", organisationId=" + organisationId + "]";
    }
  }
}
