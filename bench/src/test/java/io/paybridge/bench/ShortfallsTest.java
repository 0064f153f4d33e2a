package io.paybridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The report's reasons for a missed target, on phases whose figures are set by hand. */
class ShortfallsTest {

  /**
   * 30 s on 2 cores, all busy: the benchmark's JVM 12 s (0.40 core), interrupts 3 s (0.10), the
   * service 30 s and PostgreSQL 15 s.
   */
  private static final CpuSampler.Usage ALL_BUSY =
      new CpuSampler.Usage(30, 60, 60, 12, 30, 0.3, 0.1, 15, 3, List.of());

  @Test
  void aSaturatedMachineGetsTheCpuPerWebhookTheTargetWouldAllow() {
    // ALL_BUSY for 60,000 webhooks: 0.5 + 0.25 ms each. 1.5 cores left at 0.75 ms carry 2,000/s;
    // 2,500/s on them allows 0.6 ms, 20 % less.
    var phase = phase(1, 60_000, 2_000, ALL_BUSY, List.of(), 0);

    String why = Shortfalls.throughput(phase, 2500, 64, 1_200);

    assertThat(why)
        .contains("The cores were the limit: 2 cores, 100 % busy")
        .contains("took 0.40 of a core, other processes 0.00 and interrupts 0.10, leaving 1.50")
        .contains("used 0.500 and 0.250 ms of CPU per webhook acknowledged")
        .contains("at most 2,000 webhooks/s on those cores")
        .contains("2,500/s on them needs 0.600 ms per webhook or less, 20 % less CPU")
        .contains("the baseline) reached 1,200 webhooks/s");
  }

  @Test
  void aBatchTargetIsReadPerEvent() {
    // 200 batches of 50 per second for 30 s: 300,000 events; the service 30 s, PostgreSQL 15 s:
    // 0.1 + 0.05 ms per event; 1.5 cores left carry 10,000 events/s; 20,000/s allows 0.075 ms.
    var phase = phase(50, 6_000, 200, ALL_BUSY, List.of(), 0);

    assertThat(Shortfalls.throughput(phase, 20_000, 16, 11_000))
        .contains("used 0.100 and 0.050 ms of CPU per event acknowledged")
        .contains("at most 10,000 events/s")
        .contains("20,000/s on them needs 0.075 ms per event or less, 50 % less CPU");
  }

  @Test
  void idleCoresMeanTheClientsWaited() {
    // 70 % busy: not the CPU. 64 clients at 1,600/s: 40 ms per round trip.
    var cpu = new CpuSampler.Usage(30, 42, 60, 9, 20, 0.3, 0.1, 10, 3, List.of());
    var phase = phase(1, 48_000, 1_600, cpu, List.of(), 10);

    assertThat(Shortfalls.throughput(phase, 2500, 64, 1_200))
        .startsWith("The cores were not the limit: 2 cores, 70 % busy.")
        .contains("64 clients")
        .contains("made 1,600 webhooks/s: 40.0 ms per round trip")
        .contains("10 requests were refused by design");
  }

  @Test
  void aFixedRateMissedIsComparedWithTheSaturationThatReachedIt() {
    // At saturation: 90,000 webhooks in 30 s, the service 25.2 s of CPU (0.28 ms each), the
    // benchmark's JVM 13.2 s (0.44 core). At the fixed rate: 60,000 in 30 s, the service 25.8 s
    // (0.43 ms each), the benchmark 16.8 s (0.56 core).
    var saturation =
        phase(
            1,
            90_000,
            3_000,
            new CpuSampler.Usage(30, 58.2, 60, 13.2, 25.2, 1, 0.3, 16.5, 2.4, List.of()),
            List.of(),
            0);
    var fixed =
        phase(
            1,
            60_000,
            2_000,
            new CpuSampler.Usage(30, 58.8, 60, 16.8, 25.8, 2.4, 0.9, 12.6, 2.4, List.of()),
            List.of(
                refusing(5, 800, 271_000_000),
                refusing(10, 5_150, 653_000_000),
                refusing(15, 0, 52_000_000)),
            13_000);

    assertThat(Shortfalls.fixedRate(fixed, saturation, 2500))
        .startsWith(
            "Reached at saturation, not kept up with at a fixed 2,500 webhooks/s: 2,000/s answered"
                + " 204, 13000 refused by design and 0 failed")
        .contains("The cores were 98 % busy (97 % at saturation)")
        .contains("the benchmark's own JVM took 0.56 of a core (0.44 at saturation)")
        .contains("the service used 0.430 ms of CPU per webhook answered 204 (0.280 at saturation")
        .contains("Refusals came in 2 of 3 five-second windows")
        .contains("the generator sent up to 653.0 ms late (in the window to t=10s)");
  }

  @Test
  void failedRequestsAreNamedBesideTheCores() {
    var phase = phase(1, 60_000, 2_000, ALL_BUSY, List.of(), Map.of("timeout", 7L));

    assertThat(Shortfalls.throughput(phase, 2500, 64, 1_200))
        .startsWith("The cores were the limit")
        .endsWith(" 7 requests failed (neither a 204 nor a refusal by design): {timeout=7}.");
  }

  @Test
  void aLatencyTailIsSplitIntoTheGeneratorsDelaysAndTheServicesOwn() {
    var cpu = new CpuSampler.Usage(15, 18, 30, 3, 9, 0.75, 0.1, 5, 1, List.of());
    var windows =
        List.of(
            window(5, 12_000, 11_000, 500_000),
            // slow from the intended send, fast from the actual one: the generator sent late
            window(10, 31_000, 12_000, 25_000_000),
            // slow from the actual send too: the service
            window(15, 45_000, 40_000, 2_000_000));
    var phase = phase(1, 7_500, 500, cpu, windows, 0);

    String why = Shortfalls.latency(phase, 20_000);

    assertThat(why)
        .contains(
            "2 of 3 five-second windows had a p99 above 20.0 ms (31.0 ms at t=10s, 45.0 ms at"
                + " t=15s); the other 1 had 12.0–12.0 ms")
        .contains(
            "In the windows to t=10s the p99 from the actual send was within 20.0 ms and the"
                + " generator sent up to 25.0 ms late")
        .contains(
            "In the windows to t=15s the p99 from the actual send was above 20.0 ms too (40.0 ms)")
        .contains("the webhooks answered 204 took p99 ≤ 16.8 ms from Spring's first filter")
        .contains("; of it, a delivery's wait for its group's transaction had a p99 ≤ 4.19 ms")
        .contains("the transactions (from taking a connection to the commit) ≤ 8.39 ms")
        .contains("paused 3 times (0.05 s in all), its JIT compilers used 0.05 of a core")
        .contains("the cores were 60 % busy");
  }

  @Test
  void refusalsTheServiceAnsweredFastWaitedBeforeItReadThem() {
    var cpu = new CpuSampler.Usage(30, 60, 60, 20, 25, 0.3, 0.1, 12, 3, List.of());
    var phase =
        overload(
            cpu, new ServerStats.RefusalTiming(1_000, 1.0), List.of(window(5, 0, 0, 431_000_000)));

    assertThat(Shortfalls.overload(phase, 500_000, 50_000))
        .contains("Refused p99 480 ms by the generator's clock")
        .contains("100.0 % within 50.0 ms")
        .contains("The difference passed before the service read the request")
        .contains("sent up to 431.0 ms late");
  }

  @Test
  void refusalsTheServiceItselfAnsweredSlowlyAreSaidToBeSlow() {
    var cpu = new CpuSampler.Usage(30, 60, 60, 20, 25, 0.3, 0.1, 12, 3, List.of());
    var phase = overload(cpu, new ServerStats.RefusalTiming(1_000, 0.9), List.of());

    assertThat(Shortfalls.overload(phase, 500_000, 50_000))
        .contains("only 90.0 % within 50.0 ms: the service itself was slow to refuse")
        .doesNotContain("before the service read");
  }

  private static PhaseResult overload(
      CpuSampler.Usage cpu, ServerStats.RefusalTiming timing, List<PhaseWindow> windows) {
    var accepted = histogram(100_000, 1_000);
    var refused = histogram(480_000, 1_000);
    return new PhaseResult(
        "single, 2× saturation",
        "open loop",
        1,
        30,
        2_000,
        1_000,
        Map.of(LoadGenerator.SATURATED, 1_000L),
        1_000 / 30.0,
        accepted,
        histogram(1, 1),
        1_000,
        0,
        0,
        0.1,
        33,
        cpu,
        "1.0",
        "2.0",
        "",
        0,
        windows,
        refused,
        accepted,
        "",
        new ServerStats.ServiceTimes(timing, "", "", "", 0, 0));
  }

  private static PhaseWindow refusing(double end, long refused, long lateNanos) {
    return new PhaseWindow(
        end, 10_000, 20_000, 100_000, 200_000, 90_000, refused, 2_000, 40_000, 50_000, lateNanos);
  }

  private static PhaseWindow window(double end, long p99, long fromSendP99, long lateNanos) {
    return new PhaseWindow(
        end, p99 == 0 ? 0 : 2_500, p99 / 2, p99, p99, fromSendP99, 0, 0, 0, 0, lateNanos);
  }

  private static PhaseResult phase(
      int eventsPerWebhook,
      long acked,
      double webhooksPerSecond,
      CpuSampler.Usage cpu,
      List<PhaseWindow> windows,
      long refused) {
    return phase(
        eventsPerWebhook,
        acked,
        webhooksPerSecond,
        cpu,
        windows,
        refused == 0 ? Map.of() : Map.of(LoadGenerator.SATURATED, refused));
  }

  private static PhaseResult phase(
      int eventsPerWebhook,
      long acked,
      double webhooksPerSecond,
      CpuSampler.Usage cpu,
      List<PhaseWindow> windows,
      Map<String, Long> errors) {
    long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
    var acks = histogram(5_000, acked);
    return new PhaseResult(
        "phase",
        "closed loop",
        eventsPerWebhook,
        cpu.wallSeconds(),
        acked + errorCount,
        acked,
        errors,
        webhooksPerSecond,
        acks,
        histogram(100_000, 1),
        acked * eventsPerWebhook,
        0,
        0,
        0.1,
        webhooksPerSecond * eventsPerWebhook,
        cpu,
        "1.0",
        "2.0",
        "",
        0,
        windows,
        histogram(1, 0),
        acks,
        "",
        new ServerStats.ServiceTimes(
            new ServerStats.RefusalTiming(0, Double.NaN),
            "≤ 4.19 ms",
            "≤ 8.39 ms",
            "≤ 16.8 ms",
            3,
            0.05));
  }

  private static Histogram histogram(long micros, long count) {
    var histogram = new Histogram(3);
    if (count > 0) {
      histogram.recordValueWithCount(micros, count);
    }
    return histogram;
  }
}
