package io.paybridge.oauth.vault;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The merchants' GoCardless access tokens, encrypted ({@code merchant_token}). A row exists exactly
 * while its merchant is connected or held for review: connecting stores it, disconnecting shreds
 * it. A held token is never revealed to callers until it is released.
 */
@Component
public class TokenVault {

  private final JdbcTemplate jdbc;
  private final TokenCipher cipher;
  private final int rotationBatchSize;

  TokenVault(JdbcTemplate jdbc, TokenEncryptionProperties properties, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.cipher = TokenCipher.from(properties);
    this.rotationBatchSize = properties.rotationBatchSize();
    Gauge.builder("paybridge.oauth.tokens.stale.key", this, TokenVault::countUnderOldKeys)
        .description("Stored tokens still encrypted under a key other than the active one")
        .register(meters);
  }

  /** Stores (or replaces) a merchant's token; call inside the connecting transaction. */
  public void store(String merchantId, String organisationId, String accessToken) {
    store(merchantId, organisationId, accessToken, false);
  }

  /**
   * Stores a token that {@link #reveal} does not give out until it is {@link #release}d; call
   * inside the transaction that holds the connection for review.
   */
  public void hold(String merchantId, String organisationId, String accessToken) {
    store(merchantId, organisationId, accessToken, true);
  }

  /** Lets a held token out; call inside the transaction that confirms the connection. */
  public boolean release(String merchantId) {
    return jdbc.update(
            "update merchant_token set held = false where merchant_id = ? and held", merchantId)
        == 1;
  }

  private void store(String merchantId, String organisationId, String accessToken, boolean held) {
    String ciphertext = cipher.encrypt(accessToken, merchantId);
    jdbc.update(
        """
        insert into merchant_token (merchant_id, organisation_id, key_id, ciphertext, stored_at, held)
        values (?, ?, ?, ?, ?, ?)
        on conflict (merchant_id) do update set organisation_id = excluded.organisation_id,
            key_id = excluded.key_id, ciphertext = excluded.ciphertext, stored_at = excluded.stored_at,
            held = excluded.held
        """,
        merchantId,
        organisationId,
        cipher.activeKeyId(),
        ciphertext,
        Timestamp.from(Instant.now()),
        held);
  }

  /** The token of a connected merchant; never a held one. */
  public Optional<MerchantToken> reveal(String merchantId) {
    return reveal(merchantId, false);
  }

  /**
   * A held token, for the service itself only: to check it before release, or to revoke it when the
   * connection is rejected.
   */
  public Optional<MerchantToken> revealHeld(String merchantId) {
    return reveal(merchantId, true);
  }

  private Optional<MerchantToken> reveal(String merchantId, boolean held) {
    return jdbc
        .query(
            "select organisation_id, ciphertext from merchant_token where merchant_id = ?"
                + " and held = ?",
            (rs, i) ->
                new MerchantToken(
                    merchantId,
                    rs.getString("organisation_id"),
                    cipher.decrypt(rs.getString("ciphertext"), merchantId)),
            merchantId,
            held)
        .stream()
        .findFirst();
  }

  /** Forgets a merchant's token for good; call inside the disconnecting transaction. */
  public boolean shred(String merchantId) {
    return jdbc.update("delete from merchant_token where merchant_id = ?", merchantId) > 0;
  }

  /**
   * Re-encrypts up to one batch of tokens that are not under the active key. Rows are locked with
   * {@code skip locked}, so several replicas can rotate at once without doing the same row twice.
   *
   * @return how many tokens were re-encrypted
   */
  @Transactional
  public int reencryptBatch() {
    List<String[]> stale =
        jdbc.query(
            """
            select merchant_id, ciphertext from merchant_token where key_id <> ?
            order by merchant_id limit ? for update skip locked
            """,
            (rs, i) -> new String[] {rs.getString(1), rs.getString(2)},
            cipher.activeKeyId(),
            rotationBatchSize);
    for (String[] row : stale) {
      String plain = cipher.decrypt(row[1], row[0]);
      jdbc.update(
          "update merchant_token set key_id = ?, ciphertext = ?, reencrypted_at = ? where merchant_id = ?",
          cipher.activeKeyId(),
          cipher.encrypt(plain, row[0]),
          Timestamp.from(Instant.now()),
          row[0]);
    }
    return stale.size();
  }

  /** Tokens still under a key other than the active one. */
  public long countUnderOldKeys() {
    Long count =
        jdbc.queryForObject(
            "select count(*) from merchant_token where key_id <> ?",
            Long.class,
            cipher.activeKeyId());
    return count == null ? 0 : count;
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
