package io.paybridge.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's notion of time: real time plus an offset that only grows. Advancing it applies
 * every transition that has become due (payments submitted, confirmed and paid out on their dates,
 * payouts paid, flows expired) before {@link #advance(Duration)} returns.
 */
public final class SimulatedClock {
  private final AtomicLong offsetMillis = new AtomicLong();
  private volatile Runnable onAdvance = () -> {};

  SimulatedClock(Instant start) {
    if (start != null) {
      offsetMillis.set(start.toEpochMilli() - System.currentTimeMillis());
    }
  }

  /** Simulated now, millisecond precision. */
  public Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis.get())
        .truncatedTo(ChronoUnit.MILLIS);
  }

  /** Simulated date in UTC (charge dates, arrival dates). */
  public LocalDate today() {
    return LocalDate.ofInstant(now(), ZoneOffset.UTC);
  }

  /** Moves time forward and applies every transition that became due; returns the new now. */
  public Instant advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("The simulated clock only moves forward");
    }
    offsetMillis.addAndGet(duration.toMillis());
    onAdvance.run();
    return now();
  }

  /**
   * Moves time forward to the start of {@code date} (UTC), if it is in the future, and applies
   * transitions.
   */
  public Instant advanceTo(LocalDate date) {
    Instant target = date.atStartOfDay(ZoneOffset.UTC).toInstant();
    Duration gap = Duration.between(now(), target);
    return advance(gap.isNegative() ? Duration.ZERO : gap);
  }

  void onAdvance(Runnable action) {
    this.onAdvance = action;
  }
}
