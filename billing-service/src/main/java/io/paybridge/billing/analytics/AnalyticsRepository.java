package io.paybridge.billing.analytics;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The analytics tables (V10__analytics.sql): the per-resource state rows, locked and saved by the
 * handler in its consumer transaction, and the roll-ups, added to by deltas and summed by queries.
 * Rows are always locked and roll-ups always written in key order, so that two consumer threads
 * never wait for each other in a cycle.
 */
@Repository
class AnalyticsRepository {

  private static final TypeReference<List<PaymentState.Seen>> SEEN = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper mapper;

  AnalyticsRepository(JdbcTemplate jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = mapper;
  }

  // --- state rows ---

  /** The payments' rows, created empty where missing, locked for the transaction. */
  Map<String, PaymentState> lockPayments(Collection<PaymentState> placeholders) {
    var sorted = new TreeMap<String, PaymentState>();
    placeholders.forEach(p -> sorted.put(p.paymentId(), p));
    jdbc.batchUpdate(
        """
        insert into analytics_payment (payment_id, merchant_id, team, facts) values (?, ?, ?, '[]'::jsonb)
        on conflict (payment_id) do nothing
        """,
        sorted.values().stream()
            .map(p -> new Object[] {p.paymentId(), p.merchantId(), p.team()})
            .toList());
    Map<String, PaymentState> rows = new HashMap<>();
    jdbc.query(
        con -> {
          var statement =
              con.prepareStatement(
                  """
                  select payment_id, merchant_id, team, scheme, currency, amount, created_at, facts::text
                  from analytics_payment where payment_id = any(?) order by payment_id for update
                  """);
          statement.setArray(1, varchars(con, sorted.keySet()));
          return statement;
        },
        rs -> {
          var state =
              new PaymentState(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  (Long) rs.getObject(6, Long.class),
                  instant(rs, 7),
                  mapper.readValue(rs.getString(8), SEEN));
          rows.put(state.paymentId(), state);
        });
    return rows;
  }

  void savePayments(Collection<PaymentState> payments) {
    jdbc.batchUpdate(
        """
        update analytics_payment set scheme = ?, currency = ?, amount = ?, created_at = ?, facts = ?::jsonb
        where payment_id = ?
        """,
        payments.stream()
            .map(
                p ->
                    new Object[] {
                      p.scheme(),
                      p.currency(),
                      p.amount(),
                      timestamp(p.createdAt()),
                      mapper.writeValueAsString(p.facts()),
                      p.paymentId()
                    })
            .toList());
  }

  /** The billing requests' rows, created empty where missing, locked for the transaction. */
  Map<String, BillingRequestState> lockBillingRequests(
      Collection<BillingRequestState> placeholders) {
    var sorted = new TreeMap<String, BillingRequestState>();
    placeholders.forEach(b -> sorted.put(b.billingRequestId(), b));
    jdbc.batchUpdate(
        """
        insert into analytics_billing_request (billing_request_id, merchant_id, team) values (?, ?, ?)
        on conflict (billing_request_id) do nothing
        """,
        sorted.values().stream()
            .map(b -> new Object[] {b.billingRequestId(), b.merchantId(), b.team()})
            .toList());
    return billingRequests(
        "billing_request_id = any(?) order by billing_request_id for update", sorted.keySet());
  }

  /**
   * The billing requests that name these mandates, unlocked: only the transaction holding a billing
   * request's lock changes it, and it also holds its mandate's lock (taken after), which the caller
   * holds.
   */
  Map<String, BillingRequestState> billingRequestsOfMandates(Collection<String> mandateIds) {
    if (mandateIds.isEmpty()) {
      return Map.of();
    }
    return billingRequests("mandate_id = any(?)", mandateIds);
  }

  private Map<String, BillingRequestState> billingRequests(String where, Collection<String> ids) {
    Map<String, BillingRequestState> rows = new HashMap<>();
    jdbc.query(
        con -> {
          var statement =
              con.prepareStatement(
                  """
                  select billing_request_id, merchant_id, team, scheme, mandate_requested, created_at,
                      fulfilled_at, mandate_id
                  from analytics_billing_request where
                  """
                      + where);
          statement.setArray(1, varchars(con, ids));
          return statement;
        },
        rs -> {
          var state =
              new BillingRequestState(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  (Boolean) rs.getObject(5, Boolean.class),
                  instant(rs, 6),
                  instant(rs, 7),
                  rs.getString(8));
          rows.put(state.billingRequestId(), state);
        });
    return rows;
  }

  void saveBillingRequests(Collection<BillingRequestState> requests) {
    jdbc.batchUpdate(
        """
        update analytics_billing_request set scheme = ?, mandate_requested = ?, created_at = ?, fulfilled_at = ?,
            mandate_id = ?
        where billing_request_id = ?
        """,
        requests.stream()
            .map(
                b ->
                    new Object[] {
                      b.scheme(),
                      b.mandateRequested(),
                      timestamp(b.createdAt()),
                      timestamp(b.fulfilledAt()),
                      b.mandateId(),
                      b.billingRequestId()
                    })
            .toList());
  }

  /**
   * The mandates' rows (when each became active, absent: not yet), created where missing and locked
   * for the transaction.
   */
  Map<String, Instant> lockMandates(Collection<String> mandateIds) {
    var sorted = new java.util.TreeSet<>(mandateIds);
    jdbc.batchUpdate(
        "insert into analytics_mandate (mandate_id) values (?) on conflict (mandate_id) do nothing",
        sorted.stream().map(id -> new Object[] {id}).toList());
    Map<String, Instant> active = new HashMap<>();
    jdbc.query(
        con -> {
          var statement =
              con.prepareStatement(
                  "select mandate_id, active_at from analytics_mandate where mandate_id = any(?)"
                      + " order by mandate_id for update");
          statement.setArray(1, varchars(con, sorted));
          return statement;
        },
        rs -> {
          Instant at = instant(rs, 2);
          if (at != null) {
            active.put(rs.getString(1), at);
          }
        });
    return active;
  }

  void saveMandates(Map<String, Instant> activeAt) {
    jdbc.batchUpdate(
        "update analytics_mandate set active_at = ? where mandate_id = ?",
        activeAt.entrySet().stream()
            .map(e -> new Object[] {timestamp(e.getValue()), e.getKey()})
            .toList());
  }

  // --- roll-ups: deltas ---

  /**
   * Adds the deltas to the daily roll-up rows and, summed per month, to the monthly ones (daily
   * rows first, each table in key order, so that consumer threads lock rows in the same order).
   */
  void addPaymentRollups(Map<PaymentOutcome.Key, long[]> deltas) {
    upsertPaymentRollups("analytics_payment_rollup", deltas);
    Map<PaymentOutcome.Key, long[]> monthly = new HashMap<>();
    deltas.forEach(
        (k, v) -> {
          long[] sum = monthly.computeIfAbsent(k.month(), m -> new long[v.length]);
          for (int i = 0; i < v.length; i++) {
            sum[i] += v[i];
          }
        });
    upsertPaymentRollups("analytics_payment_rollup_month", monthly);
  }

  private void upsertPaymentRollups(String table, Map<PaymentOutcome.Key, long[]> deltas) {
    String columns = String.join(", ", PaymentOutcome.COUNTERS);
    String placeholders = "?, ".repeat(PaymentOutcome.COUNTERS.size());
    String sums =
        String.join(
            ", ",
            PaymentOutcome.COUNTERS.stream()
                .map(c -> c + " = " + table + "." + c + " + excluded." + c)
                .toList());
    jdbc.batchUpdate(
        "insert into "
            + table
            + " (merchant_id, scheme, currency, amount_band, day, team, "
            + columns
            + ") values (?, ?, ?, ?, ?, ?, "
            + placeholders.substring(0, placeholders.length() - 2)
            + ") on conflict (merchant_id, scheme, currency, amount_band, day) do update set "
            + sums,
        new TreeMap<>(deltas)
            .entrySet().stream()
                .map(
                    e -> {
                      var k = e.getKey();
                      List<Object> row =
                          new ArrayList<>(
                              List.of(
                                  k.merchantId(),
                                  k.scheme(),
                                  k.currency(),
                                  k.amountBand(),
                                  k.day(),
                                  k.team()));
                      for (long v : e.getValue()) {
                        row.add(v);
                      }
                      return row.toArray();
                    })
                .toList());
  }

  /** A failure roll-up row's key: the payment's key, cause and reason code. */
  record FailureKey(PaymentOutcome.Key key, String cause, String reasonCode)
      implements Comparable<FailureKey> {
    @Override
    public int compareTo(FailureKey o) {
      int c = key.compareTo(o.key);
      if (c == 0) {
        c = cause.compareTo(o.cause);
      }
      return c != 0 ? c : reasonCode.compareTo(o.reasonCode);
    }
  }

  /** Adds the deltas to the daily and, summed per month, the monthly failure roll-ups. */
  void addFailureRollups(Map<FailureKey, Long> deltas) {
    upsertFailureRollups("analytics_failure_rollup", deltas);
    Map<FailureKey, Long> monthly = new HashMap<>();
    deltas.forEach(
        (f, v) ->
            monthly.merge(
                new FailureKey(f.key().month(), f.cause(), f.reasonCode()), v, Long::sum));
    upsertFailureRollups("analytics_failure_rollup_month", monthly);
  }

  private void upsertFailureRollups(String table, Map<FailureKey, Long> deltas) {
    jdbc.batchUpdate(
        """
        insert into %1$s
            (merchant_id, scheme, currency, amount_band, day, cause, reason_code, team, failures)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (merchant_id, scheme, currency, amount_band, day, cause, reason_code)
        do update set failures = %1$s.failures + excluded.failures
        """
            .formatted(table),
        new TreeMap<>(deltas)
            .entrySet().stream()
                .map(
                    e -> {
                      var k = e.getKey().key();
                      return new Object[] {
                        k.merchantId(),
                        k.scheme(),
                        k.currency(),
                        k.amountBand(),
                        k.day(),
                        e.getKey().cause(),
                        e.getKey().reasonCode(),
                        k.team(),
                        e.getValue()
                      };
                    })
                .toList());
  }

  /** Adds the deltas to the daily and, summed per month, the monthly mandate set-up roll-ups. */
  void addMandateSetupRollups(Map<BillingRequestState.Key, long[]> deltas) {
    upsertMandateSetupRollups("analytics_mandate_setup_rollup", deltas);
    Map<BillingRequestState.Key, long[]> monthly = new HashMap<>();
    deltas.forEach(
        (k, v) -> {
          long[] sum =
              monthly.computeIfAbsent(
                  new BillingRequestState.Key(
                      k.merchantId(), k.scheme(), k.day().withDayOfMonth(1), k.team()),
                  m -> new long[v.length]);
          for (int i = 0; i < v.length; i++) {
            sum[i] += v[i];
          }
        });
    upsertMandateSetupRollups("analytics_mandate_setup_rollup_month", monthly);
  }

  private void upsertMandateSetupRollups(
      String table, Map<BillingRequestState.Key, long[]> deltas) {
    jdbc.batchUpdate(
        """
        insert into %1$s (merchant_id, scheme, day, team, requested, fulfilled, active)
        values (?, ?, ?, ?, ?, ?, ?)
        on conflict (merchant_id, scheme, day) do update set
            requested = %1$s.requested + excluded.requested,
            fulfilled = %1$s.fulfilled + excluded.fulfilled,
            active = %1$s.active + excluded.active
        """
            .formatted(table),
        new TreeMap<>(deltas)
            .entrySet().stream()
                .map(
                    e -> {
                      var k = e.getKey();
                      long[] v = e.getValue();
                      return new Object[] {
                        k.merchantId(), k.scheme(), k.day(), k.team(), v[0], v[1], v[2]
                      };
                    })
                .toList());
  }

  // --- roll-ups: queries ---

  /** Which roll-up rows a query sums: a team's (or every team's: {@code null}) with filters. */
  record Scope(String team, String merchantId, String scheme, String currency, String amountBand) {

    static Scope everyTeam() {
      return new Scope(null, null, null, null, null);
    }
  }

  /**
   * The counters of {@link PaymentOutcome#COUNTERS} summed per period start ({@code day}, {@code
   * week} or {@code month}) and currency, for the current period ({@code from}..{@code to}) and the
   * previous one ({@code previousFrom} up to {@code from}): one statement gives the totals of both
   * periods and the series. Whole months are read from the monthly roll-ups wherever the series
   * allows (the previous period always; the current one when the series is by month).
   */
  List<PeriodTotals> paymentTotals(
      Scope scope, LocalDate previousFrom, LocalDate from, LocalDate to, String period) {
    if (!List.of("day", "week", "month").contains(period)) {
      // Written into the statement (date_trunc's unit): only AnalyticsFilter.Period's names.
      throw new IllegalStateException("not a period: " + period);
    }
    var union =
        new Union(
            "analytics_payment_rollup",
            "date_trunc('" + period + "', day)::date as start, currency, " + columns(),
            scope,
            true);
    union.add(false, RollupRange.cover(previousFrom, from.minusDays(1), true));
    union.add(true, RollupRange.cover(from, to, "month".equals(period)));
    return jdbc.query(
        "select current, start, currency, "
            + sums()
            + " from ("
            + union.sql()
            + ") r group by current, start, currency order by start, currency",
        (rs, i) ->
            new PeriodTotals(
                rs.getBoolean(1),
                rs.getObject(2, LocalDate.class),
                rs.getString(3),
                counters(rs, 4)),
        union.args.toArray());
  }

  /** Sums of one period start and currency; {@code current}: of the period asked for. */
  record PeriodTotals(boolean current, LocalDate start, String currency, long[] counters) {}

  /** The counters summed per merchant (every team's), for the metrics. */
  Map<String, long[]> paymentTotalsByMerchant(LocalDate from, LocalDate to) {
    var union =
        new Union("analytics_payment_rollup", "merchant_id, " + columns(), Scope.everyTeam(), true);
    union.add(true, RollupRange.cover(from, to, true));
    Map<String, long[]> totals = new LinkedHashMap<>();
    jdbc.query(
        "select merchant_id, " + sums() + " from (" + union.sql() + ") r group by merchant_id",
        rs -> {
          totals.put(rs.getString(1), counters(rs, 2));
        },
        union.args.toArray());
    return totals;
  }

  /**
   * Failures by cause and reason code, most first, of the current ({@code true}) and previous
   * period.
   */
  Map<Boolean, List<FailureCount>> failures(
      Scope scope, LocalDate previousFrom, LocalDate from, LocalDate to) {
    var union = new Union("analytics_failure_rollup", "cause, reason_code, failures", scope, true);
    union.add(false, RollupRange.cover(previousFrom, from.minusDays(1), true));
    union.add(true, RollupRange.cover(from, to, true));
    Map<Boolean, List<FailureCount>> failures = new HashMap<>();
    failures.put(true, new ArrayList<>());
    failures.put(false, new ArrayList<>());
    jdbc.query(
        "select current, cause, reason_code, sum(failures) as n from ("
            + union.sql()
            + ") r group by current, cause, reason_code having sum(failures) > 0"
            + " order by n desc, cause, reason_code",
        rs -> {
          failures
              .get(rs.getBoolean(1))
              .add(new FailureCount(rs.getString(2), rs.getString(3), rs.getLong(4)));
        },
        union.args.toArray());
    return failures;
  }

  /** Failures by cause and reason code, most first. */
  List<FailureCount> failures(Scope scope, LocalDate from, LocalDate to) {
    var union = new Union("analytics_failure_rollup", "cause, reason_code, failures", scope, true);
    union.add(true, RollupRange.cover(from, to, true));
    return jdbc.query(
        "select cause, reason_code, sum(failures) as n from ("
            + union.sql()
            + ") r group by cause, reason_code having sum(failures) > 0 order by n desc, cause, reason_code",
        (rs, i) -> new FailureCount(rs.getString(1), rs.getString(2), rs.getLong(3)),
        union.args.toArray());
  }

  record FailureCount(String cause, String reasonCode, long failures) {}

  /**
   * Requested, fulfilled, active of the current ({@code true}) and previous period; currency and
   * amount band do not apply to billing requests.
   */
  Map<Boolean, long[]> mandateSetup(
      Scope scope, LocalDate previousFrom, LocalDate from, LocalDate to) {
    var union =
        new Union("analytics_mandate_setup_rollup", "requested, fulfilled, active", scope, false);
    union.add(false, RollupRange.cover(previousFrom, from.minusDays(1), true));
    union.add(true, RollupRange.cover(from, to, true));
    Map<Boolean, long[]> funnel = new HashMap<>();
    funnel.put(true, new long[3]);
    funnel.put(false, new long[3]);
    jdbc.query(
        "select current, sum(requested), sum(fulfilled), sum(active) from ("
            + union.sql()
            + ") r group by current",
        rs -> {
          funnel.put(rs.getBoolean(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
        },
        union.args.toArray());
    return funnel;
  }

  /** Requested, fulfilled, active per merchant (every team's), for the metrics. */
  Map<String, long[]> mandateSetupByMerchant(LocalDate from, LocalDate to) {
    var union =
        new Union(
            "analytics_mandate_setup_rollup",
            "merchant_id, requested, fulfilled, active",
            Scope.everyTeam(),
            false);
    union.add(true, RollupRange.cover(from, to, true));
    Map<String, long[]> funnel = new HashMap<>();
    jdbc.query(
        "select merchant_id, sum(requested), sum(fulfilled), sum(active) from ("
            + union.sql()
            + ") r group by merchant_id",
        rs -> {
          funnel.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
        },
        union.args.toArray());
    return funnel;
  }

  /**
   * The roll-up rows of a query as one {@code union all}: one branch per range (daily or monthly
   * table), each tagged with whether it is of the current period.
   */
  private static final class Union {
    final String table;
    final String columns;
    final Scope scope;
    final boolean payments;
    final List<String> branches = new ArrayList<>();
    final List<Object> args = new ArrayList<>();

    Union(String table, String columns, Scope scope, boolean payments) {
      this.table = table;
      this.columns = columns;
      this.scope = scope;
      this.payments = payments;
    }

    void add(boolean current, List<RollupRange> ranges) {
      for (var range : ranges) {
        var where = new Where(scope, range.from(), range.to(), payments);
        branches.add(
            "select "
                + current
                + " as current, "
                + columns
                + " from "
                + range.table(table)
                + " where "
                + where.sql);
        args.addAll(where.args);
      }
    }

    String sql() {
      return branches.isEmpty()
          // An empty range (no days): no rows, with the columns' names.
          ? "select true as current, " + columns + " from " + table + " where false"
          : String.join(" union all ", branches);
    }
  }

  private static final class Where {
    final String sql;
    final List<Object> args = new ArrayList<>();

    Where(Scope scope, LocalDate from, LocalDate to, boolean payments) {
      var clauses = new ArrayList<String>();
      if (scope.team() != null) {
        clauses.add("team = ?");
        args.add(scope.team());
      }
      clauses.add("day between ? and ?");
      args.add(from);
      args.add(to);
      if (scope.merchantId() != null) {
        clauses.add("merchant_id = ?");
        args.add(scope.merchantId());
      }
      if (scope.scheme() != null) {
        clauses.add("scheme = ?");
        args.add(scope.scheme());
      }
      if (payments && scope.currency() != null) {
        clauses.add("currency = ?");
        args.add(scope.currency());
      }
      if (payments && scope.amountBand() != null) {
        clauses.add("amount_band = ?");
        args.add(scope.amountBand());
      }
      sql = String.join(" and ", clauses);
    }
  }

  private static String columns() {
    return String.join(", ", PaymentOutcome.COUNTERS);
  }

  private static String sums() {
    return String.join(
        ", ", PaymentOutcome.COUNTERS.stream().map(c -> "sum(" + c + ")::bigint").toList());
  }

  private static long[] counters(ResultSet rs, int first) throws SQLException {
    long[] values = new long[PaymentOutcome.COUNTERS.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = rs.getLong(first + i);
    }
    return values;
  }

  private static Array varchars(java.sql.Connection con, Collection<String> ids)
      throws SQLException {
    return con.createArrayOf("varchar", ids.toArray());
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.toInstant();
  }

  private static Timestamp timestamp(Instant at) {
    return at == null ? null : Timestamp.from(at);
  }
}
