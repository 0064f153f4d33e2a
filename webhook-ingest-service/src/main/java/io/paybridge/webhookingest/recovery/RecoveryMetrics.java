package io.paybridge.webhookingest.recovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code paybridge.recovery.events} (events read back from GoCardless's events API, by {@code
 * result}: {@code recovered} = new to the inbox and published by recovery, {@code
 * already_received}, {@code quarantined}; and by {@code trigger}) and {@code
 * paybridge.recovery.runs} (by {@code trigger} and {@code outcome}).
 */
@Component
@RecoveryEnabled
class RecoveryMetrics {

  private final MeterRegistry meters;

  RecoveryMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void page(String trigger, int recovered, int alreadyReceived, int quarantined) {
    events(trigger, "recovered", recovered);
    events(trigger, "already_received", alreadyReceived);
    events(trigger, "quarantined", quarantined);
  }

  void run(String trigger, boolean succeeded) {
    Counter.builder("paybridge.recovery.runs")
        .description("Recoveries of missed GoCardless events, by trigger and outcome")
        .tag("trigger", trigger)
        .tag("outcome", succeeded ? "succeeded" : "failed")
        .register(meters)
        .increment();
  }

  private void events(String trigger, String result, int count) {
    Counter counter =
        Counter.builder("paybridge.recovery.events")
            .description(
                "GoCardless events read back from the events API: recovered (never received"
                    + " before, published now), already_received, quarantined")
            .tag("trigger", trigger)
            .tag("result", result)
            .register(meters);
    if (count > 0) {
      counter.increment(count);
    }
  }
}
