package io.paybridge.bench;

import org.HdrHistogram.Histogram;

/**
 * One progress interval of a phase (five seconds, or the shorter last one): its answers and how
 * late the generator itself sent. Latencies in microseconds; {@code 0} where nothing was answered.
 *
 * @param endSeconds the interval's end, from the phase's start
 * @param acks 204s received in it
 * @param ackP99 their p99 from the intended send time
 * @param ackFromSendP99 their p99 from the actual send
 * @param sendLateNanos the most the generator sent a request after its intended time
 */
record PhaseWindow(
    double endSeconds,
    long acks,
    long ackP50,
    long ackP99,
    long ackMax,
    long ackFromSendP99,
    long refused,
    long refusedP50,
    long refusedP99,
    long refusedMax,
    long sendLateNanos) {

  static PhaseWindow of(
      double endSeconds, Histogram acks, Histogram acksFromSend, Histogram refused, long late) {
    return new PhaseWindow(
        endSeconds,
        acks.getTotalCount(),
        percentile(acks, 50),
        percentile(acks, 99),
        acks.getTotalCount() == 0 ? 0 : acks.getMaxValue(),
        percentile(acksFromSend, 99),
        refused.getTotalCount(),
        percentile(refused, 50),
        percentile(refused, 99),
        refused.getTotalCount() == 0 ? 0 : refused.getMaxValue(),
        late);
  }

  private static long percentile(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
  }

  double sendLateMillis() {
    return sendLateNanos / 1e6;
  }

  /** e.g. "t=5s: 2500 acks, p50 3.92 p99 12.2 max 19.9 ms, sent up to 14.0 ms late". */
  @Override
  public String toString() {
    return String.format("t=%.0fs: %s", endSeconds, answers());
  }

  /** e.g. "2500 acks, p50 3.92 p99 12.2 max 19.9 ms, sent up to 14.0 ms late". */
  String answers() {
    String text =
        acks == 0
            ? "no acks"
            : String.format(
                "%d acks, p50 %s p99 %s max %s ms",
                acks,
                PhaseResult.millis(ackP50),
                PhaseResult.millis(ackP99),
                PhaseResult.millis(ackMax));
    if (refused > 0) {
      text +=
          String.format(
              ", %d refused, answered p50 %s p99 %s max %s ms",
              refused,
              PhaseResult.millis(refusedP50),
              PhaseResult.millis(refusedP99),
              PhaseResult.millis(refusedMax));
    }
    // Only worth a mention past a millisecond: the pacing loop's own jitter is below it.
    if (sendLateNanos >= 1_000_000) {
      text += String.format(", sent up to %.1f ms late", sendLateMillis());
    }
    return text;
  }
}
