package io.paybridge.oauth.vault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Moves stored tokens onto the active key in the background, batch by batch. */
@Component
public class KeyRotation {

  private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

  private final TokenVault vault;

  KeyRotation(TokenVault vault) {
    this.vault = vault;
  }

  /**
   * Re-encrypts every token not yet under the active key.
   *
   * @return how many tokens were re-encrypted
   */
  @Scheduled(
      fixedDelayString = "${paybridge.oauth.token-encryption.rotation-interval:1m}",
      initialDelayString = "${paybridge.oauth.token-encryption.rotation-interval:1m}")
  public int rotate() {
    int total = 0;
    int done;
    do {
      done = vault.reencryptBatch();
      total += done;
    } while (done > 0);
    if (total > 0) {
      log.info("Re-encrypted {} merchant tokens under the active key", total);
    }
    return total;
  }
}
