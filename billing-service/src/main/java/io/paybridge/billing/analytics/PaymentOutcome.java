package io.paybridge.billing.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one payment's facts add to the roll-ups, computed from all its facts at once (never from the
 * order they came in): the same set of facts always gives the same contribution, so the roll-ups
 * are exact whatever the delivery order.
 *
 * <ul>
 *   <li>Outcome: the type of its latest fact by GoCardless's time: collected (confirmed or paid
 *       out), failed, charged back, cancelled; none yet: pending.
 *   <li>A late failure: a failure after its first confirmation or payout.
 *   <li>Recovered: a failure before its first confirmation, and a confirmation (GoCardless's retry
 *       or PayBridge's); attributed to GoCardless when the last such failure said {@code
 *       willAttemptRetry}, otherwise to PayBridge.
 *   <li>Times from its creation to its first confirmation and to its first payout, as buckets of
 *       {@link #BUCKET_BOUNDS}.
 * </ul>
 */
final class PaymentOutcome {

  static final int CREATED = 0;
  static final int COLLECTED = 2;
  static final int FAILED = 4;
  static final int CHARGED_BACK = 6;
  static final int CANCELLED = 8;
  static final int LATE_FAILED = 9;
  static final int EVER_CHARGED_BACK = 10;
  static final int FAILED_EARLY = 11;
  static final int RECOVERED_GOCARDLESS = 12;
  static final int RECOVERED_PAYBRIDGE = 14;
  static final int CONFIRMED_BUCKETS = 16;

  /**
   * Upper bounds (inclusive) of the time buckets, in hours: bucket {@code i} holds times above
   * bound {@code i-1} up to bound {@code i}; the last bucket ({@code BUCKET_BOUNDS.length}) holds
   * longer times. Percentiles are reported as the bound of their bucket.
   */
  static final int[] BUCKET_BOUNDS_HOURS = {
    1, 2, 4, 8, 12, 24, 36, 48, 60, 72, 84, 96, 108, 120, 144, 168, 216, 264, 336, 504, 720, 1440
  };

  static final Duration[] BUCKET_BOUNDS = bounds();

  /** Buckets per histogram: one per bound and one for longer times. */
  static final int BUCKETS = BUCKET_BOUNDS_HOURS.length + 1;

  /**
   * Columns of {@code analytics_payment_rollup} after its key, in this order: the counts and sums,
   * then the time histograms as one column per bucket ({@code confirmed_b0}…, {@code
   * paid_out_b0}…), so that a query reads a payment key's counts and times from one row.
   */
  static final List<String> COUNTERS = counters();

  static final int PAID_OUT_BUCKETS = CONFIRMED_BUCKETS + BUCKETS;

  /** Fact types kept in a payment's state. */
  static final String CONFIRMED = "confirmed";

  static final String PAID_OUT = "paid_out";
  static final String FAILURE = "failed";
  static final String CHARGEBACK = "charged_back";
  static final String CANCELLATION = "cancelled";

  /** Amount bands of the roll-ups, by the amount in minor units. */
  enum AmountBand {
    LT_10("lt_10", 0, 1_000),
    FROM_10_TO_100("10_100", 1_000, 10_000),
    FROM_100_TO_1000("100_1000", 10_000, 100_000),
    GTE_1000("gte_1000", 100_000, Long.MAX_VALUE);

    final String label;
    final long from;
    final long below;

    AmountBand(String label, long from, long below) {
      this.label = label;
      this.from = from;
      this.below = below;
    }

    static AmountBand of(long amount) {
      for (AmountBand band : values()) {
        if (amount < band.below) {
          return band;
        }
      }
      return GTE_1000;
    }

    static AmountBand byLabel(String label) {
      for (AmountBand band : values()) {
        if (band.label.equals(label)) {
          return band;
        }
      }
      return null;
    }
  }

  /** The roll-up row a payment counts in. */
  record Key(
      String merchantId,
      String scheme,
      String currency,
      String amountBand,
      LocalDate day,
      String team)
      implements Comparable<Key> {

    /** The same key on the first day of its month: the monthly roll-ups' key. */
    Key month() {
      return new Key(merchantId, scheme, currency, amountBand, day.withDayOfMonth(1), team);
    }

    private static final Comparator<Key> ORDER =
        Comparator.comparing(Key::merchantId)
            .thenComparing(Key::scheme)
            .thenComparing(Key::currency)
            .thenComparing(Key::amountBand)
            .thenComparing(Key::day);

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  /**
   * A payment's contribution: its roll-up key, counters (time buckets included), failures by cause,
   * and its time buckets.
   */
  record Contribution(
      Key key,
      long[] counters,
      Map<List<String>, Long> failures,
      Integer confirmedBucket,
      Integer paidOutBucket) {}

  private PaymentOutcome() {}

  /** What the payment contributes; {@code null} while its creation is not known. */
  static Contribution of(PaymentState payment) {
    if (payment.createdAt() == null || payment.currency() == null || payment.amount() == null) {
      return null;
    }
    long amount = payment.amount();
    var key =
        new Key(
            payment.merchantId(),
            payment.scheme() == null ? "unknown" : payment.scheme(),
            payment.currency(),
            AmountBand.of(amount).label,
            LocalDate.ofInstant(payment.createdAt(), ZoneOffset.UTC),
            payment.team());
    long[] c = new long[COUNTERS.size()];
    c[CREATED] = 1;
    c[CREATED + 1] = amount;
    List<PaymentState.Seen> facts = payment.facts();
    Instant firstConfirmed = first(facts, CONFIRMED);
    Instant firstPaidOut = first(facts, PAID_OUT);
    Instant firstCollected = earliest(firstConfirmed, firstPaidOut);
    PaymentState.Seen latest =
        facts.stream()
            .max(
                Comparator.comparing(PaymentState.Seen::instant)
                    .thenComparing(s -> precedence(s.type())))
            .orElse(null);
    if (latest != null) {
      int outcome =
          switch (latest.type()) {
            case CONFIRMED, PAID_OUT -> COLLECTED;
            case FAILURE -> FAILED;
            case CHARGEBACK -> CHARGED_BACK;
            default -> CANCELLED;
          };
      c[outcome] = 1;
      if (outcome != CANCELLED) {
        c[outcome + 1] = amount;
      }
    }
    Map<List<String>, Long> failures = new LinkedHashMap<>();
    PaymentState.Seen lastEarlyFailure = null;
    for (var seen : facts) {
      if (seen.type().equals(FAILURE)) {
        failures.merge(List.of(nonNull(seen.cause()), nonNull(seen.reasonCode())), 1L, Long::sum);
        if (firstCollected != null && seen.instant().isAfter(firstCollected)) {
          c[LATE_FAILED] = 1;
        } else if (lastEarlyFailure == null || seen.instant().isAfter(lastEarlyFailure.instant())) {
          lastEarlyFailure = seen;
        }
      } else if (seen.type().equals(CHARGEBACK)) {
        c[EVER_CHARGED_BACK] = 1;
      }
    }
    if (lastEarlyFailure != null) {
      c[FAILED_EARLY] = 1;
      if (firstCollected != null) {
        int by =
            Boolean.TRUE.equals(lastEarlyFailure.willAttemptRetry())
                ? RECOVERED_GOCARDLESS
                : RECOVERED_PAYBRIDGE;
        c[by] = 1;
        c[by + 1] = amount;
      }
    }
    Integer confirmedBucket = bucket(payment.createdAt(), firstConfirmed);
    Integer paidOutBucket = bucket(payment.createdAt(), firstPaidOut);
    if (confirmedBucket != null) {
      c[CONFIRMED_BUCKETS + confirmedBucket] = 1;
    }
    if (paidOutBucket != null) {
      c[PAID_OUT_BUCKETS + paidOutBucket] = 1;
    }
    return new Contribution(key, c, failures, confirmedBucket, paidOutBucket);
  }

  /** The bucket of the time from {@code from} to {@code to}; {@code null} without {@code to}. */
  static Integer bucket(Instant from, Instant to) {
    if (to == null) {
      return null;
    }
    Duration took = Duration.between(from, to);
    for (int i = 0; i < BUCKET_BOUNDS.length; i++) {
      if (took.compareTo(BUCKET_BOUNDS[i]) <= 0) {
        return i;
      }
    }
    return BUCKET_BOUNDS.length;
  }

  /** Which fact wins when two have the same time: the one that ends the payment's story. */
  private static int precedence(String type) {
    return switch (type) {
      case CONFIRMED -> 0;
      case PAID_OUT -> 1;
      case CANCELLATION -> 2;
      case CHARGEBACK -> 3;
      default -> 4;
    };
  }

  private static Instant first(List<PaymentState.Seen> facts, String type) {
    return facts.stream()
        .filter(s -> s.type().equals(type))
        .map(PaymentState.Seen::instant)
        .min(Comparator.naturalOrder())
        .orElse(null);
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }

  private static List<String> counters() {
    var columns =
        new java.util.ArrayList<>(
            List.of(
                "created",
                "created_amount",
                "collected",
                "collected_amount",
                "failed",
                "failed_amount",
                "charged_back",
                "charged_back_amount",
                "cancelled",
                "late_failed",
                "ever_charged_back",
                "failed_early",
                "recovered_gocardless",
                "recovered_gocardless_amount",
                "recovered_paybridge",
                "recovered_paybridge_amount"));
    for (int i = 0; i < BUCKETS; i++) {
      columns.add("confirmed_b" + i);
    }
    for (int i = 0; i < BUCKETS; i++) {
      columns.add("paid_out_b" + i);
    }
    return List.copyOf(columns);
  }

  private static Duration[] bounds() {
    Duration[] bounds = new Duration[BUCKET_BOUNDS_HOURS.length];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = Duration.ofHours(BUCKET_BOUNDS_HOURS[i]);
    }
    return bounds;
  }
}
