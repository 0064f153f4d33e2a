package io.paybridge.oauth.vault;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code merchant_token} table: ciphertexts only, never a plain token. */
@Repository
class MerchantTokenRepository {

  private final JdbcTemplate jdbc;

  MerchantTokenRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** A stored ciphertext. */
  record StoredToken(String merchantId, String organisationId, String ciphertext) {
    @Override
    public String toString() {
      return "StoredToken[merchantId=" + merchantId + "]";
    }
  }

  /** Why the rotation could not re-encrypt a token. */
  enum ReencryptFailure {
    KEY_UNAVAILABLE("key_unavailable"),
    UNDECRYPTABLE("undecryptable");

    final String wire;

    ReencryptFailure(String wire) {
      this.wire = wire;
    }
  }

  /** Tokens not under a key, and how many of those the rotation gave up on. */
  record Remaining(long stale, long failed) {}

  void upsert(
      String merchantId,
      String organisationId,
      String keyId,
      String ciphertext,
      boolean held,
      Instant at) {
    // A new ciphertext gets a new chance: a failure mark of the old one no longer applies.
    jdbc.update(
        """
        insert into merchant_token (merchant_id, organisation_id, key_id, ciphertext, stored_at, held)
        values (?, ?, ?, ?, ?, ?)
        on conflict (merchant_id) do update set organisation_id = excluded.organisation_id,
            key_id = excluded.key_id, ciphertext = excluded.ciphertext, stored_at = excluded.stored_at,
            held = excluded.held,
            reencrypted_at = null, reencrypt_failed_at = null, reencrypt_failure = null
        """,
        merchantId,
        organisationId,
        keyId,
        ciphertext,
        Timestamp.from(at),
        held);
  }

  /** The token of a merchant, if it is held ({@code held}) or released ({@code !held}). */
  Optional<StoredToken> find(String merchantId, boolean held) {
    return jdbc
        .query(
            "select organisation_id, ciphertext from merchant_token where merchant_id = ? and held = ?",
            (rs, i) -> new StoredToken(merchantId, rs.getString(1), rs.getString(2)),
            merchantId,
            held)
        .stream()
        .findFirst();
  }

  boolean release(String merchantId) {
    return jdbc.update(
            "update merchant_token set held = false where merchant_id = ? and held", merchantId)
        == 1;
  }

  boolean delete(String merchantId) {
    return jdbc.update("delete from merchant_token where merchant_id = ?", merchantId) > 0;
  }

  /**
   * Locks up to {@code limit} tokens under another key than {@code keyId} that the rotation has not
   * given up on. {@code skip locked}: several instances rotate at once without doing a row twice.
   */
  List<StoredToken> lockNotUnder(String keyId, int limit) {
    return jdbc.query(
        """
        select merchant_id, organisation_id, ciphertext from merchant_token
        where key_id <> ? and reencrypt_failed_at is null
        order by merchant_id limit ? for update skip locked
        """,
        (rs, i) -> new StoredToken(rs.getString(1), rs.getString(2), rs.getString(3)),
        keyId,
        limit);
  }

  void reencrypted(String merchantId, String keyId, String ciphertext, Instant at) {
    jdbc.update(
        "update merchant_token set key_id = ?, ciphertext = ?, reencrypted_at = ? where merchant_id = ?",
        keyId,
        ciphertext,
        Timestamp.from(at),
        merchantId);
  }

  void reencryptFailed(String merchantId, ReencryptFailure failure, Instant at) {
    jdbc.update(
        "update merchant_token set reencrypt_failed_at = ?, reencrypt_failure = ? where merchant_id = ?",
        Timestamp.from(at),
        failure.wire,
        merchantId);
  }

  /** Gives every token the rotation gave up on another try. */
  int clearReencryptFailures() {
    return jdbc.update(
        "update merchant_token set reencrypt_failed_at = null, reencrypt_failure = null"
            + " where reencrypt_failed_at is not null");
  }

  Remaining remainingNotUnder(String keyId) {
    return jdbc.queryForObject(
        "select count(*), count(reencrypt_failed_at) from merchant_token where key_id <> ?",
        (rs, i) -> new Remaining(rs.getLong(1), rs.getLong(2)),
        keyId);
  }
}
