package io.paybridge.notification.delivery;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes this instance's delivery worker when deliveries become due here (created, replayed, a slot
 * freed), so that a new delivery does not wait for the next poll. Other instances find it by
 * polling.
 */
@Component
class DeliveryWakeUp {

  private final Semaphore signal = new Semaphore(0);

  /** Wakes the worker now, or after the current transaction commits when there is one. */
  void wake() {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              release();
            }
          });
    } else {
      release();
    }
  }

  private void release() {
    if (signal.availablePermits() == 0) {
      signal.release();
    }
  }

  /** Waits for a wake-up or the timeout. */
  void await(Duration timeout) throws InterruptedException {
    if (signal.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      signal.drainPermits();
    }
  }
}
