package io.paybridge.oauth.vault;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Moves stored tokens onto the cluster's active key in the background, batch by batch, and keeps
 * the gauges of what is left. Runs on every instance ({@link TokenKeySchedule}); an instance that
 * lacks the active key moves nothing.
 */
@Component
public class KeyRotation {

  private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

  private final TokenVault vault;
  private final TokenKeys keys;
  // The gauges read the last run's count rather than counting on every scrape.
  private final AtomicReference<Run> last = new AtomicReference<>();

  KeyRotation(TokenVault vault, TokenKeys keys, MeterRegistry meters) {
    this.vault = vault;
    this.keys = keys;
    Gauge.builder("paybridge.oauth.tokens.stale.key", last, r -> remaining(r.get(), false))
        .description(
            "Stored tokens not yet under the cluster's active key (skipped ones included), as of"
                + " this instance's last rotation run")
        .register(meters);
    Gauge.builder("paybridge.oauth.tokens.reencrypt.failed", last, r -> remaining(r.get(), true))
        .description(
            "Stored tokens the rotation skipped because they did not decrypt (unknown key or"
                + " corrupt ciphertext), as of this instance's last rotation run")
        .register(meters);
  }

  /** Re-encrypts every token not yet under the active key, then refreshes the gauges. */
  public Run rotate() {
    int rotated = 0;
    int failed = 0;
    TokenVault.Batch batch;
    do {
      batch = vault.reencryptBatch();
      rotated += batch.rotated();
      failed += batch.failed();
    } while (batch.processed() > 0);
    if (!batch.keyHeld()) {
      log.warn(
          "Not rotating tokens: this instance lacks the cluster's active key {}",
          batch.activeKeyId());
    }
    if (rotated > 0 || failed > 0) {
      log.info(
          "Re-encrypted {} merchant tokens under the active key {}; skipped {}",
          rotated,
          batch.activeKeyId(),
          failed);
    }
    String active = keys.activeKeyId();
    var remaining = vault.remainingNotUnder(active);
    var run = new Run(active, rotated, failed, remaining.stale(), remaining.failed());
    last.set(run);
    return run;
  }

  private static double remaining(Run run, boolean failedOnly) {
    if (run == null) {
      return Double.NaN;
    }
    return failedOnly ? run.failedTokens() : run.staleTokens();
  }

  /**
   * One run of the rotation.
   *
   * @param activeKeyId the cluster's active key at the end of the run
   * @param rotated tokens re-encrypted by this run
   * @param skipped tokens this run could not decrypt (marked; not tried again by later runs)
   * @param staleTokens tokens still under another key, skipped ones included
   * @param failedTokens of those, the ones the rotation skipped
   */
  public record Run(
      String activeKeyId, int rotated, int skipped, long staleTokens, long failedTokens) {}
}
