package io.paybridge.billing.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-encrypts the projections' sealed metadata under the active key (and seals metadata stored
 * before encryption was on), a batch per transaction. The gauge {@code
 * paybridge.billing.personal.data.stale.key} counts the resources left under another key: remove an
 * old key from the secret store once it reads 0.
 */
@Component
public class PersonalDataKeyRotation {

  private static final Logger log = LoggerFactory.getLogger(PersonalDataKeyRotation.class);

  private final ProjectionRepository projections;
  private final PersonalDataCipher cipher;
  private final PersonalDataEncryptionProperties properties;
  private final TransactionTemplate transactions;
  private final AtomicInteger stale = new AtomicInteger();

  PersonalDataKeyRotation(
      ProjectionRepository projections,
      PersonalDataCipher cipher,
      PersonalDataEncryptionProperties properties,
      PlatformTransactionManager transactionManager,
      MeterRegistry meters) {
    this.projections = projections;
    this.cipher = cipher;
    this.properties = properties;
    this.transactions = new TransactionTemplate(transactionManager);
    Gauge.builder("paybridge.billing.personal.data.stale.key", stale, AtomicInteger::get)
        .description("Resources whose metadata is not sealed under the active key")
        .register(meters);
  }

  /** The job: everything under the active key. */
  void rotate() {
    if (!cipher.enabled()) {
      return;
    }
    try {
      rotateTo(cipher.activeKeyId());
    } catch (RuntimeException e) {
      // The next run tries again; a key missing here is this instance's configuration fault.
      log.warn("Re-encrypting personal data under the active key failed: {}", e.toString());
    }
  }

  /**
   * Seals every resource's metadata under {@code keyId}, which this instance must hold.
   *
   * @return how many resources were re-encrypted
   */
  public int rotateTo(String keyId) {
    int total = 0;
    for (Kind kind : Kind.values()) {
      while (true) {
        Integer done =
            transactions.execute(
                status -> {
                  var batch =
                      projections.lockNotSealedUnder(kind, keyId, properties.rotationBatchSize());
                  batch.forEach(p -> projections.reseal(p, keyId));
                  return batch.size();
                });
        if (done == null || done == 0) {
          break;
        }
        total += done;
      }
    }
    int left = 0;
    for (Kind kind : Kind.values()) {
      left += projections.countNotSealedUnder(kind, keyId);
    }
    stale.set(left);
    return total;
  }
}
