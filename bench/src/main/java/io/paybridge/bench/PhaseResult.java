package io.paybridge.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** What one load phase measured, ready for the report. */
record PhaseResult(
    String name,
    String mode,
    int eventsPerWebhook,
    double seconds,
    long sent,
    long acked,
    Map<String, Long> errors,
    double webhooksPerSecond,
    Histogram ackMicros,
    Histogram kafkaLagMicros,
    long eventsAcked,
    long missingOnKafka,
    long beforeAck,
    double drainSeconds,
    double relayedEventsPerSecond,
    CpuSampler.Usage cpu,
    String loadBefore,
    String loadAfter,
    String serverActivity,
    double serviceJitSeconds,
    java.util.List<PhaseWindow> timeline,
    Histogram refusedMicros,
    Histogram ackFromSendMicros,
    String serviceRefusals,
    ServerStats.ServiceTimes serviceTimes) {

  static PhaseResult of(
      LoadGenerator.Phase phase,
      Histogram kafkaLagMicros,
      long missingOnKafka,
      long beforeAck,
      double drainSeconds,
      double relayedEventsPerSecond,
      CpuSampler.Usage cpu,
      String loadBefore,
      String loadAfter,
      String serverActivity,
      double serviceJitSeconds,
      String serviceRefusals,
      ServerStats.ServiceTimes serviceTimes) {
    long acked = phase.acked.sum();
    long last = Math.max(phase.lastAck.get(), phase.startNanos + 1);
    double activeSeconds = (last - phase.startNanos) / 1e9;
    var errors = new TreeMap<String, Long>();
    phase.errors.forEach((reason, count) -> errors.put(reason, count.sum()));
    return new PhaseResult(
        phase.name,
        phase.mode,
        phase.eventsPerWebhook,
        (phase.endNanos - phase.startNanos) / 1e9,
        phase.sent.sum(),
        acked,
        errors,
        acked == 0 ? 0 : acked / activeSeconds,
        phase.ackMicros,
        kafkaLagMicros,
        phase.ackedAt.size(),
        missingOnKafka,
        beforeAck,
        drainSeconds,
        relayedEventsPerSecond,
        cpu,
        loadBefore,
        loadAfter,
        serverActivity,
        serviceJitSeconds,
        java.util.List.copyOf(phase.timeline),
        phase.refusedMicros,
        phase.ackFromSendMicros,
        serviceRefusals,
        serviceTimes);
  }

  double eventsPerSecond() {
    return webhooksPerSecond * eventsPerWebhook;
  }

  /** Answers that were neither a 204 nor a refusal by design (a 5xx, a timeout...). */
  long failureCount() {
    return errors.entrySet().stream()
        .filter(e -> !e.getKey().equals(LoadGenerator.SHED))
        .filter(e -> !e.getKey().equals(LoadGenerator.SATURATED))
        .mapToLong(java.util.Map.Entry::getValue)
        .sum();
  }

  /** Requests refused by design: 503 {@code ingest-saturated} or {@code relay-behind}. */
  long refusedCount() {
    return errorCount() - failureCount();
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  static String ms(Histogram micros, double percentile) {
    if (micros.getTotalCount() == 0) {
      return "–";
    }
    return millis(micros.getValueAtPercentile(percentile));
  }

  /** A rate or count for the report: "2,500" from 100 up, "12.5" below. */
  static String number(double value) {
    return value >= 100 ? String.format("%,.0f", value) : String.format("%.1f", value);
  }

  static String max(Histogram micros) {
    return micros.getTotalCount() == 0 ? "–" : millis(micros.getMaxValue());
  }

  static String millis(long micros) {
    double ms = micros / 1000.0;
    if (ms >= 100) {
      return String.format("%.0f", ms);
    }
    if (ms >= 10) {
      return String.format("%.1f", ms);
    }
    return String.format("%.2f", ms);
  }
}
