package io.paybridge.webhookingest.recovery;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs {@link RecoveryService#recoverAll} every {@code paybridge.recovery.interval} (from the end
 * of one pass to the start of the next, so passes never overlap on an instance), the first one an
 * interval after start-up; not at all with {@code paybridge.recovery.scheduled=false}. On its own
 * platform thread: a pass mostly waits for GoCardless and the database.
 */
@Component
@RecoveryEnabled
class RecoveryScheduler implements SmartLifecycle {

  private final RecoveryService recovery;
  private final RecoveryProperties properties;
  private volatile ScheduledExecutorService executor;

  RecoveryScheduler(RecoveryService recovery, RecoveryProperties properties) {
    this.recovery = recovery;
    this.properties = properties;
  }

  @Override
  public void start() {
    if (!properties.scheduled()) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("recovery-schedule").factory());
    long interval = properties.interval().toMillis();
    executor.scheduleWithFixedDelay(
        recovery::recoverAll, interval, interval, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    var running = executor;
    if (running != null) {
      running.shutdownNow();
      executor = null;
    }
  }

  @Override
  public boolean isRunning() {
    return executor != null;
  }
}
