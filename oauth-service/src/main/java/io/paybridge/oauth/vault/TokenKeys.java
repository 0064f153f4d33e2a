package io.paybridge.oauth.vault;

import io.paybridge.platform.operations.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which key encrypts merchants' tokens: one decision for the whole cluster, in the database. An
 * instance's configuration holds key material only; it seeds the decision once, on a database that
 * has none. Changing it is an operator's {@link #activate}, refused while a running instance lacks
 * the key, so that no instance is ever asked to read a token it cannot decrypt.
 */
@Component
class TokenKeys {

  static final String BOOTSTRAP = "bootstrap:configuration";

  private static final Logger log = LoggerFactory.getLogger(TokenKeys.class);

  private final TokenKeyRepository keys;
  private final MerchantTokenRepository tokens;
  private final TokenEncryptionProperties properties;
  private final Clock clock;
  private final AuditLog audit;

  TokenKeys(
      TokenKeyRepository keys,
      MerchantTokenRepository tokens,
      TokenEncryptionProperties properties,
      Clock clock,
      AuditLog audit) {
    this.audit = audit;
    this.keys = keys;
    this.tokens = tokens;
    this.properties = properties;
    this.clock = clock;
  }

  /** The cluster's active key id. */
  public String activeKeyId() {
    return keys.findActive().map(Key::keyId).orElseThrow(TokenKeys::noActiveKey);
  }

  /**
   * The active key id for a write in the caller's transaction; an activation waits until that
   * transaction ends.
   */
  String activeKeyIdForWrite() {
    return keys.activeKeyIdForShare().orElseThrow(TokenKeys::noActiveKey);
  }

  /**
   * On a database without an active key, makes the configured initial key active. Afterwards the
   * configuration no longer decides: a different configured key is only reported.
   */
  @Transactional
  public void bootstrap() {
    String configured = properties.bootstrapKeyId();
    var active = keys.findActive();
    if (active.isEmpty()) {
      if (configured == null) {
        throw new IllegalStateException(
            "The database has no active token encryption key yet: set"
                + " paybridge.oauth.token-encryption.initial-active-key-id for the first start");
      }
      Instant now = clock.instant();
      if (keys.insertActiveIfNone(configured, BOOTSTRAP, now)) {
        keys.recordActivation(configured, null, BOOTSTRAP, null, now);
        log.info("Token encryption key {} is the cluster's active key (first start)", configured);
      }
      return;
    }
    if (configured != null && !configured.equals(active.get().keyId())) {
      log.info(
          "The configuration names token encryption key {}, but the cluster's active key is {}"
              + " (activated by {} at {}); the configuration only seeds a fresh database",
          configured,
          active.get().keyId(),
          active.get().activatedBy(),
          active.get().activatedAt());
    }
  }

  /**
   * Makes {@code keyId} the key that encrypts, for every instance at once, unless it already is
   * (then nothing changes). Tokens the rotation gave up on are tried again.
   *
   * @param by who decided (the operator's identity), kept with the key and in the activation log
   * @throws KeyActivationRefusedException when a running instance does not hold the key
   */
  @Transactional
  public Activation activate(String keyId, String by, String requestId) {
    var current = keys.lockActive();
    if (current.isPresent() && current.get().keyId().equals(keyId)) {
      return new Activation(current.get(), false);
    }
    var holders = keys.liveHolders(properties.instanceTimeout());
    List<String> without =
        holders.stream()
            .filter(holder -> !holder.keyIds().contains(keyId))
            .map(Holder::instanceId)
            .toList();
    if (holders.isEmpty() || !without.isEmpty()) {
      throw new KeyActivationRefusedException(keyId, without);
    }
    Instant now = clock.instant();
    String previous = current.map(Key::keyId).orElse(null);
    if (previous != null) {
      keys.retire(previous, now);
    }
    keys.activate(keyId, by, now);
    keys.recordActivation(keyId, previous, by, requestId, now);
    var detail = new java.util.LinkedHashMap<String, Object>();
    detail.put("previousKeyId", previous);
    audit.record("token-encryption-key.activated", keyId, detail);
    int retried = tokens.clearReencryptFailures();
    log.info(
        "Token encryption key {} activated by {} (was {}); {} tokens the rotation had skipped"
            + " will be tried again",
        keyId,
        by,
        previous,
        retried);
    return new Activation(keys.findActive().orElseThrow(), true);
  }

  /** The key state and the running instances' key ids, for operators. */
  public Inventory inventory() {
    var active = keys.findActive().orElseThrow(TokenKeys::noActiveKey);
    var remaining = tokens.remainingNotUnder(active.keyId());
    return new Inventory(
        active.keyId(),
        keys.all(),
        keys.liveHolders(properties.instanceTimeout()),
        remaining.stale(),
        remaining.failed());
  }

  private static IllegalStateException noActiveKey() {
    return new IllegalStateException("The database has no active token encryption key");
  }

  /** A key known to the cluster: {@code active} (one at a time) or {@code retired}. */
  record Key(
      String keyId, String state, Instant activatedAt, String activatedBy, Instant retiredAt) {}

  /** A running instance and the key ids it holds. */
  record Holder(
      String instanceId, SortedSet<String> keyIds, Instant startedAt, Instant lastSeenAt) {}

  /** The outcome of an activation: the active key, and whether this call changed it. */
  record Activation(Key active, boolean changed) {}

  /** What an operator checks before and after an activation. */
  record Inventory(
      String activeKeyId,
      List<Key> keys,
      List<Holder> instances,
      long staleTokens,
      long failedTokens) {}
}
