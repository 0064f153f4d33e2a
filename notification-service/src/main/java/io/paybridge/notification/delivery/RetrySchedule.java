package io.paybridge.notification.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** When a failed delivery is tried again: the configured schedule, with jitter. */
final class RetrySchedule {

  private final DeliveryProperties properties;

  RetrySchedule(DeliveryProperties properties) {
    this.properties = properties;
  }

  /**
   * The wait after the {@code attempt}-th failed attempt (1-based) of the current cycle, or empty
   * when the schedule is used up (the delivery is dead).
   */
  Optional<Duration> after(int attempt) {
    var schedule = properties.retrySchedule();
    if (attempt < 1 || attempt > schedule.size()) {
      return Optional.empty();
    }
    long millis = schedule.get(attempt - 1).toMillis();
    double factor =
        1
            + (properties.jitter() == 0
                ? 0
                : ThreadLocalRandom.current()
                    .nextDouble(-properties.jitter(), properties.jitter()));
    return Optional.of(Duration.ofMillis(Math.max(0, Math.round(millis * factor))));
  }
}
