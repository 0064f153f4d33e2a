package io.paybridge.billing.analytics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The analytics figures as Prometheus gauges, computed from the roll-ups every {@link
 * AnalyticsProperties#metricsRefresh()} for the payments created in the last {@link
 * AnalyticsProperties#metricsWindow()} days. Label values are bounded: {@code merchant} is one of
 * the {@link AnalyticsProperties#metricsTopMerchants()} merchants with the most payments in the
 * window, {@code other} (the rest summed) or {@code all}; {@code cause} one of the {@link
 * AnalyticsProperties#metricsTopCauses()} most frequent failure causes or {@code other}; {@code
 * outcome}, {@code quantile} and {@code stage} fixed sets. No payment, mandate or billing request
 * id is ever a label.
 */
@Component
class AnalyticsMetrics implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(AnalyticsMetrics.class);

  static final String ALL = "all";
  static final String OTHER = "other";

  /** The gauge outcomes and the counter each reads. */
  private static final Map<String, Integer> OUTCOMES = outcomes();

  private final AnalyticsRepository repository;
  private final AnalyticsProperties properties;
  private final Clock clock;
  private final MultiGauge payments;
  private final MultiGauge successRatio;
  private final MultiGauge timeToConfirmed;
  private final MultiGauge timeToPaidOut;
  private final MultiGauge failures;
  private final MultiGauge mandateSetup;
  private ScheduledExecutorService scheduler;

  AnalyticsMetrics(
      AnalyticsRepository repository,
      AnalyticsProperties properties,
      Clock clock,
      MeterRegistry meters) {
    this.repository = repository;
    this.properties = properties;
    this.clock = clock;
    payments =
        MultiGauge.builder("paybridge.billing.analytics.payments")
            .description("Payments created in the window, by merchant and outcome")
            .register(meters);
    successRatio =
        MultiGauge.builder("paybridge.billing.analytics.success.ratio")
            .description("Collected / (collected + failed + charged back) of the window's payments")
            .register(meters);
    timeToConfirmed =
        MultiGauge.builder("paybridge.billing.analytics.time.to.confirmed")
            .description("Creation to first confirmation, bucket bound of the quantile")
            .baseUnit("seconds")
            .register(meters);
    timeToPaidOut =
        MultiGauge.builder("paybridge.billing.analytics.time.to.paid.out")
            .description("Creation to first payout, bucket bound of the quantile")
            .baseUnit("seconds")
            .register(meters);
    failures =
        MultiGauge.builder("paybridge.billing.analytics.failures")
            .description("Failures of the window's payments by GoCardless cause")
            .register(meters);
    mandateSetup =
        MultiGauge.builder("paybridge.billing.analytics.mandate.setup")
            .description("Billing requests asking for a mandate: requested, fulfilled, active")
            .register(meters);
  }

  /** Computes every gauge again from the roll-ups. */
  void refresh() {
    LocalDate to = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate from = to.minusDays(properties.metricsWindow() - 1L);
    Map<String, long[]> byMerchant = repository.paymentTotalsByMerchant(from, to);
    var top =
        byMerchant.entrySet().stream()
            .sorted(
                Comparator.comparing((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                    .thenComparing(Map.Entry::getKey))
            .limit(properties.metricsTopMerchants())
            .map(Map.Entry::getKey)
            .toList();
    Map<String, long[]> counters = grouped(byMerchant, top, PaymentOutcome.COUNTERS.size());
    var paymentRows = new ArrayList<MultiGauge.Row<?>>();
    var ratioRows = new ArrayList<MultiGauge.Row<?>>();
    counters.forEach(
        (merchant, c) -> {
          OUTCOMES.forEach(
              (outcome, index) ->
                  paymentRows.add(
                      MultiGauge.Row.of(
                          Tags.of("merchant", merchant, "outcome", outcome), c[index])));
          Double ratio =
              AnalyticsService.rate(c[PaymentOutcome.COLLECTED], AnalyticsService.withOutcome(c));
          if (ratio != null) {
            ratioRows.add(MultiGauge.Row.of(Tags.of("merchant", merchant), ratio));
          }
        });
    payments.register(paymentRows, true);
    successRatio.register(ratioRows, true);
    timeToConfirmed.register(times(counters, PaymentOutcome.CONFIRMED_BUCKETS), true);
    timeToPaidOut.register(times(counters, PaymentOutcome.PAID_OUT_BUCKETS), true);
    var funnelRows = new ArrayList<MultiGauge.Row<?>>();
    grouped(repository.mandateSetupByMerchant(from, to), top, 3)
        .forEach(
            (merchant, f) -> {
              funnelRows.add(row(merchant, "stage", "requested", f[0]));
              funnelRows.add(row(merchant, "stage", "fulfilled", f[1]));
              funnelRows.add(row(merchant, "stage", "active", f[2]));
            });
    mandateSetup.register(funnelRows, true);
    var causes = new LinkedHashMap<String, Long>();
    repository
        .failures(AnalyticsRepository.Scope.everyTeam(), from, to)
        .forEach(
            f ->
                causes.merge(f.cause().isEmpty() ? "unknown" : f.cause(), f.failures(), Long::sum));
    var causeRows = new ArrayList<MultiGauge.Row<?>>();
    long others = 0;
    int named = 0;
    for (var entry :
        causes.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .toList()) {
      if (named < properties.metricsTopCauses()) {
        causeRows.add(MultiGauge.Row.of(Tags.of("cause", entry.getKey()), entry.getValue()));
        named++;
      } else {
        others += entry.getValue();
      }
    }
    if (others > 0) {
      causeRows.add(MultiGauge.Row.of(Tags.of("cause", OTHER), others));
    }
    failures.register(causeRows, true);
  }

  private static MultiGauge.Row<?> row(String merchant, String tag, String value, long n) {
    return MultiGauge.Row.of(Tags.of("merchant", merchant, tag, value), n);
  }

  private static List<MultiGauge.Row<?>> times(Map<String, long[]> counters, int first) {
    var rows = new ArrayList<MultiGauge.Row<?>>();
    counters.forEach(
        (merchant, c) -> {
          var times = AnalyticsService.times(AnalyticsService.histogram(c, first));
          add(rows, merchant, "0.5", times.p50Seconds());
          add(rows, merchant, "0.9", times.p90Seconds());
          add(rows, merchant, "0.99", times.p99Seconds());
        });
    return rows;
  }

  private static void add(List<MultiGauge.Row<?>> rows, String merchant, String q, Long seconds) {
    if (seconds != null) {
      rows.add(MultiGauge.Row.of(Tags.of("merchant", merchant, "quantile", q), seconds));
    }
  }

  /**
   * The top merchants' values, the others' summed as {@code other}, and everything as {@code all}.
   */
  private static Map<String, long[]> grouped(
      Map<String, long[]> byMerchant, List<String> top, int size) {
    Map<String, long[]> grouped = new LinkedHashMap<>();
    long[] all = new long[size];
    long[] other = new long[size];
    boolean anyOther = false;
    for (var entry : byMerchant.entrySet()) {
      long[] v = entry.getValue();
      boolean named = top.contains(entry.getKey());
      if (named) {
        grouped.put(entry.getKey(), v);
      } else {
        anyOther = true;
      }
      for (int i = 0; i < size; i++) {
        all[i] += v[i];
        if (!named) {
          other[i] += v[i];
        }
      }
    }
    if (anyOther) {
      grouped.put(OTHER, other);
    }
    grouped.put(ALL, all);
    return grouped;
  }

  private static Map<String, Integer> outcomes() {
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    outcomes.put("created", PaymentOutcome.CREATED);
    outcomes.put("collected", PaymentOutcome.COLLECTED);
    outcomes.put("failed", PaymentOutcome.FAILED);
    outcomes.put("charged_back", PaymentOutcome.CHARGED_BACK);
    outcomes.put("cancelled", PaymentOutcome.CANCELLED);
    outcomes.put("late_failed", PaymentOutcome.LATE_FAILED);
    outcomes.put("ever_charged_back", PaymentOutcome.EVER_CHARGED_BACK);
    outcomes.put("failed_early", PaymentOutcome.FAILED_EARLY);
    outcomes.put("recovered_gocardless", PaymentOutcome.RECOVERED_GOCARDLESS);
    outcomes.put("recovered_paybridge", PaymentOutcome.RECOVERED_PAYBRIDGE);
    return Map.copyOf(outcomes);
  }

  @Override
  public synchronized void start() {
    if (properties.metricsRefresh().isZero() || scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("analytics-metrics").daemon().factory());
    long every = properties.metricsRefresh().toMillis();
    scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, every, TimeUnit.MILLISECONDS);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // The gauges keep their last values; the next refresh tries again.
      log.warn("Analytics gauges not refreshed: {}", e.toString());
    }
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }
}
