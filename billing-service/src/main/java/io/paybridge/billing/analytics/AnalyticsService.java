package io.paybridge.billing.analytics;

import io.paybridge.billing.merchant.MerchantNotFoundException;
import io.paybridge.billing.merchant.MerchantRepository;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Answers analytics queries from the roll-ups only (a few grouped sums over the days asked for,
 * never the payments themselves): the period, the previous period of the same length, the series.
 */
@Service
public class AnalyticsService {

  private final AnalyticsRepository repository;
  private final MerchantRepository merchants;

  AnalyticsService(AnalyticsRepository repository, MerchantRepository merchants) {
    this.repository = repository;
    this.merchants = merchants;
  }

  /**
   * The team's outcome figures.
   *
   * @throws MerchantNotFoundException when the filter names a merchant that is not the team's
   */
  @Transactional(readOnly = true)
  public OutcomeReport outcomes(AnalyticsFilter filter) {
    if (filter.merchantId() != null
        && merchants
            .find(filter.merchantId())
            .filter(m -> m.team().equals(filter.team()))
            .isEmpty()) {
      throw new MerchantNotFoundException(filter.merchantId());
    }
    var scope =
        new AnalyticsRepository.Scope(
            filter.team(),
            filter.merchantId(),
            filter.scheme(),
            filter.currency(),
            filter.amountBand());
    LocalDate previousFrom = filter.from().minusDays(filter.days());
    LocalDate previousTo = filter.from().minusDays(1);
    var rows =
        repository.paymentTotals(
            scope, previousFrom, filter.from(), filter.to(), filter.period().sql());
    Map<Boolean, Map<String, long[]>> totals =
        Map.of(true, new TreeMap<>(), false, new TreeMap<>());
    Map<LocalDate, long[]> points = new TreeMap<>();
    for (var row : rows) {
      int size = row.counters().length;
      add(
          totals.get(row.current()).computeIfAbsent(row.currency(), c -> new long[size]),
          row.counters());
      if (row.current()) {
        add(points.computeIfAbsent(row.start(), s -> new long[size]), row.counters());
      }
    }
    var failures = repository.failures(scope, previousFrom, filter.from(), filter.to());
    var funnel = repository.mandateSetup(scope, previousFrom, filter.from(), filter.to());
    var current =
        figures(filter.from(), filter.to(), totals.get(true), failures.get(true), funnel.get(true));
    var previous =
        figures(
            previousFrom, previousTo, totals.get(false), failures.get(false), funnel.get(false));
    var series = new ArrayList<OutcomeReport.Point>();
    points.forEach(
        (start, c) ->
            series.add(
                new OutcomeReport.Point(
                    start,
                    c[PaymentOutcome.CREATED],
                    c[PaymentOutcome.COLLECTED],
                    c[PaymentOutcome.FAILED],
                    c[PaymentOutcome.CHARGED_BACK],
                    rate(c[PaymentOutcome.COLLECTED], withOutcome(c)))));
    return new OutcomeReport(
        new OutcomeReport.Filter(
            filter.merchantId(),
            filter.scheme(),
            filter.currency(),
            filter.amountBand(),
            filter.period().sql(),
            filter.from(),
            filter.to()),
        current,
        previous,
        trend(current, previous),
        series);
  }

  private static OutcomeReport.Figures figures(
      LocalDate from,
      LocalDate to,
      Map<String, long[]> byCurrency,
      List<AnalyticsRepository.FailureCount> failureCounts,
      long[] funnel) {
    long[] c = new long[PaymentOutcome.COUNTERS.size()];
    var amounts = new ArrayList<OutcomeReport.Amounts>();
    byCurrency.forEach(
        (currency, v) -> {
          for (int i = 0; i < c.length; i++) {
            c[i] += v[i];
          }
          amounts.add(
              new OutcomeReport.Amounts(
                  currency,
                  v[PaymentOutcome.CREATED + 1],
                  v[PaymentOutcome.COLLECTED + 1],
                  v[PaymentOutcome.FAILED + 1],
                  v[PaymentOutcome.CHARGED_BACK + 1],
                  v[PaymentOutcome.RECOVERED_GOCARDLESS + 1],
                  v[PaymentOutcome.RECOVERED_PAYBRIDGE + 1]));
        });
    var payments = payments(c);
    long withOutcome = withOutcome(c);
    var failures =
        failureCounts.stream()
            .map(
                f ->
                    new OutcomeReport.Failure(
                        f.cause(), f.reasonCode(), f.failures(), rate(f.failures(), withOutcome)))
            .toList();
    long recovered = c[PaymentOutcome.RECOVERED_GOCARDLESS] + c[PaymentOutcome.RECOVERED_PAYBRIDGE];
    long failedEarly = c[PaymentOutcome.FAILED_EARLY];
    var recovery =
        new OutcomeReport.Recovery(
            failedEarly,
            recovered,
            rate(recovered, failedEarly),
            c[PaymentOutcome.RECOVERED_GOCARDLESS],
            rate(c[PaymentOutcome.RECOVERED_GOCARDLESS], failedEarly),
            c[PaymentOutcome.RECOVERED_PAYBRIDGE],
            rate(c[PaymentOutcome.RECOVERED_PAYBRIDGE], failedEarly));
    return new OutcomeReport.Figures(
        from,
        to,
        payments,
        amounts,
        failures,
        recovery,
        times(histogram(c, PaymentOutcome.CONFIRMED_BUCKETS)),
        times(histogram(c, PaymentOutcome.PAID_OUT_BUCKETS)),
        new OutcomeReport.MandateSetup(
            funnel[0],
            funnel[1],
            funnel[2],
            rate(funnel[1], funnel[0]),
            rate(funnel[2], funnel[1]),
            rate(funnel[2], funnel[0])));
  }

  static OutcomeReport.Payments payments(long[] c) {
    long withOutcome = withOutcome(c);
    long pending = c[PaymentOutcome.CREATED] - withOutcome - c[PaymentOutcome.CANCELLED];
    return new OutcomeReport.Payments(
        c[PaymentOutcome.CREATED],
        c[PaymentOutcome.COLLECTED],
        c[PaymentOutcome.FAILED],
        c[PaymentOutcome.CHARGED_BACK],
        c[PaymentOutcome.CANCELLED],
        pending,
        rate(c[PaymentOutcome.COLLECTED], withOutcome),
        rate(c[PaymentOutcome.FAILED], withOutcome),
        c[PaymentOutcome.LATE_FAILED],
        rate(c[PaymentOutcome.LATE_FAILED], withOutcome),
        c[PaymentOutcome.EVER_CHARGED_BACK],
        rate(c[PaymentOutcome.EVER_CHARGED_BACK], withOutcome));
  }

  static long withOutcome(long[] c) {
    return c[PaymentOutcome.COLLECTED] + c[PaymentOutcome.FAILED] + c[PaymentOutcome.CHARGED_BACK];
  }

  private static void add(long[] sum, long[] values) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += values[i];
    }
  }

  /** The histogram starting at column {@code first} of the counters. */
  static long[] histogram(long[] counters, int first) {
    return java.util.Arrays.copyOfRange(counters, first, first + PaymentOutcome.BUCKETS);
  }

  /** p50, p90, p99 of a histogram of {@link PaymentOutcome#BUCKET_BOUNDS} as bucket bounds. */
  static OutcomeReport.Times times(long[] histogram) {
    if (histogram == null) {
      return new OutcomeReport.Times(0, null, null, null);
    }
    long n = 0;
    for (long v : histogram) {
      n += v;
    }
    return new OutcomeReport.Times(
        n,
        percentile(histogram, n, 50),
        percentile(histogram, n, 90),
        percentile(histogram, n, 99));
  }

  /** The bound (seconds) of the bucket holding the value of rank ceil(p% of n); nearest rank. */
  static Long percentile(long[] histogram, long n, int percent) {
    if (n == 0) {
      return null;
    }
    long rank = (n * percent + 99) / 100;
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank) {
        return i < PaymentOutcome.BUCKET_BOUNDS.length
            ? PaymentOutcome.BUCKET_BOUNDS[i].toSeconds()
            : null;
      }
    }
    return null;
  }

  private static OutcomeReport.Trend trend(OutcomeReport.Figures now, OutcomeReport.Figures then) {
    var p = now.payments();
    var q = then.payments();
    return new OutcomeReport.Trend(
        q.created() == 0 ? null : round((double) (p.created() - q.created()) / q.created()),
        difference(p.successRate(), q.successRate()),
        difference(p.failureRate(), q.failureRate()),
        difference(p.lateFailureRate(), q.lateFailureRate()),
        difference(p.chargebackRate(), q.chargebackRate()),
        difference(now.recovery().rate(), then.recovery().rate()),
        difference(now.mandateSetup().conversionRate(), then.mandateSetup().conversionRate()));
  }

  static Double rate(long part, long whole) {
    return whole == 0 ? null : round((double) part / whole);
  }

  private static Double difference(Double a, Double b) {
    return a == null || b == null ? null : round(a - b);
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
