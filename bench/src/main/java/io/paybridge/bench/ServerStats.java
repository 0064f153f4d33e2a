package io.paybridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What PostgreSQL (WAL written, checkpoints) and the service's JVM (GC pauses and JIT compilation,
 * from its Prometheus endpoint) did during a phase: the usual suspects of a latency spike.
 */
final class ServerStats implements AutoCloseable {

  /** A reading. */
  record Sample(
      long walBytes,
      long checkpoints,
      double checkpointWriteMs,
      double checkpointSyncMs,
      long gcPauses,
      double gcSeconds,
      double jitSeconds,
      long benchGcPauses,
      double benchGcSeconds,
      java.util.Map<String, java.util.NavigableMap<Double, Long>> histograms) {

    /**
     * The service's own timing of the deliveries it refused at its admission limit since {@code
     * before} ({@code paybridge.webhooks.refusal}, from Jetty's first read of the request to the
     * answer written: neither the wait before that read nor the load generator's own delays, which
     * a client on the same cores adds); empty when there were none. Quantiles are read from the
     * timer's fixed buckets, so they are bounds ("≤ 20 ms").
     */
    String refusalsSince(Sample before) {
      var within50ms = refusalTimingSince(before, 0.05);
      if (within50ms.count() <= 0) {
        return "";
      }
      return String.format(
          "%d timed by the service from its first read of the request to the answer: %.1f %% within"
              + " 50 ms, p50 %s, p99 %s",
          within50ms.count(),
          100.0 * within50ms.shareWithin(),
          quantileSince(before, REFUSAL, 0.50),
          quantileSince(before, REFUSAL, 0.99));
    }

    /**
     * A quantile of the service's timer {@code metric} (a Prometheus histogram's name, without
     * {@code _bucket}) over what it recorded since {@code before}, as the bucket bound it falls in
     * ("≤ 12 ms"); empty when it recorded nothing.
     */
    String quantileSince(Sample before, String metric, double quantile) {
      var counts = bucketsSince(before, metric);
      long total = counts.getOrDefault(Double.POSITIVE_INFINITY, 0L);
      return total <= 0 ? "" : bound(counts, total, quantile);
    }

    private java.util.NavigableMap<Double, Long> bucketsSince(Sample before, String metric) {
      var counts = new java.util.TreeMap<Double, Long>();
      var earlier =
          before.histograms.getOrDefault(metric, java.util.Collections.emptyNavigableMap());
      histograms
          .getOrDefault(metric, java.util.Collections.emptyNavigableMap())
          .forEach((bound, count) -> counts.put(bound, count - earlier.getOrDefault(bound, 0L)));
      return counts;
    }

    /**
     * The service's refusals since {@code before} that it timed, and the share of them it answered
     * within {@code seconds} (a bucket bound of its timer, such as 0.05); the share is NaN when
     * there were none.
     */
    RefusalTiming refusalTimingSince(Sample before, double seconds) {
      var counts = bucketsSince(before, REFUSAL);
      long total = counts.getOrDefault(Double.POSITIVE_INFINITY, 0L);
      long within = counts.getOrDefault(seconds, 0L);
      return new RefusalTiming(total, total <= 0 ? Double.NaN : (double) within / total);
    }

    private static String bound(
        java.util.NavigableMap<Double, Long> cumulative, long total, double quantile) {
      long rank = (long) Math.ceil(quantile * total);
      for (var bucket : cumulative.entrySet()) {
        if (bucket.getValue() >= rank) {
          return bucket.getKey().isInfinite()
              ? "> " + Math.round(cumulative.lowerKey(bucket.getKey()) * 1000) + " ms"
              : "≤ " + milliseconds(bucket.getKey()) + " ms";
        }
      }
      return "?";
    }

    // A timer's bucket bound: whole milliseconds as such (the refusal timer's 1, 2, 5 ... ms), the
    // percentile histograms' generated bounds to three significant digits.
    private static String milliseconds(double seconds) {
      double ms = seconds * 1000;
      return ms == Math.rint(ms)
          ? Long.toString((long) ms)
          : PhaseResult.millis((long) (ms * 1000));
    }

    /**
     * What the service's own meters recorded since {@code before}, for the report's reasons: its
     * refusals' timing against {@code refusalBound} seconds, the p99 of a delivery's wait for its
     * group's transaction, of the transactions and of the webhooks answered 204 as Spring timed
     * them, and its GC pauses.
     */
    ServiceTimes serviceTimesSince(Sample before, double refusalBound) {
      return new ServiceTimes(
          refusalTimingSince(before, refusalBound),
          quantileSince(before, GROUP_WAIT, 0.99),
          quantileSince(before, GROUP_TRANSACTION, 0.99),
          quantileSince(before, WEBHOOK_ANSWERED, 0.99),
          gcPauses - before.gcPauses,
          gcSeconds - before.gcSeconds);
    }

    /**
     * The elapsed time of the service's JIT compilations since {@code before} ({@code
     * jvm_compilation_time_ms_total}): not CPU time, as a compilation waiting for a core counts too
     * ({@link CpuSampler} measures the compiler threads' CPU).
     */
    double jitSecondsSince(Sample before) {
      return jitSeconds - before.jitSeconds;
    }

    /** e.g. "WAL 120 MB, 1 checkpoint (write 20.1 s, sync 1.2 s); GC 14 pauses, 0.31 s". */
    String since(Sample before, boolean withService) {
      long checkpoints = this.checkpoints - before.checkpoints;
      String text =
          String.format(
              "WAL %.0f MB, %d checkpoint%s",
              (walBytes - before.walBytes) / 1e6, checkpoints, checkpoints == 1 ? "" : "s");
      if (checkpoints > 0 || checkpointWriteMs > before.checkpointWriteMs) {
        text +=
            String.format(
                " (write %.1f s, sync %.1f s)",
                (checkpointWriteMs - before.checkpointWriteMs) / 1000,
                (checkpointSyncMs - before.checkpointSyncMs) / 1000);
      }
      if (withService) {
        text +=
            String.format(
                "; service GC %d pauses, %.2f s",
                gcPauses - before.gcPauses, gcSeconds - before.gcSeconds);
        text += String.format(", JIT compilations %.1f s elapsed", jitSecondsSince(before));
      }
      text +=
          String.format(
              "; benchmark JVM GC %d, %.2f s",
              benchGcPauses - before.benchGcPauses, benchGcSeconds - before.benchGcSeconds);
      return text;
    }
  }

  /** The service's refusals at its delivery limit, from its first read of the request. */
  static final String REFUSAL = "paybridge_webhooks_refusal_seconds";

  /** A delivery's wait in the group-commit queue before its group's transaction began. */
  static final String GROUP_WAIT = "paybridge_webhooks_group_wait_seconds";

  /** A committed group's transaction, from taking a connection to the commit. */
  static final String GROUP_TRANSACTION = "paybridge_webhooks_group_transaction_seconds";

  /**
   * Spring's {@code http.server.requests} for the deliveries answered 204: from the servlet filter
   * that starts its observation to the answer.
   */
  static final String WEBHOOK_ANSWERED = "http_server_requests_seconds";

  private static final java.util.Set<String> TIMERS =
      java.util.Set.of(REFUSAL, GROUP_WAIT, GROUP_TRANSACTION, WEBHOOK_ANSWERED);

  // Of Spring's request timer only the webhook's 204s: not the operators', nor the scrapes'.
  private static boolean counted(String metric, String line) {
    return !metric.equals(WEBHOOK_ANSWERED)
        || (line.contains("uri=\"" + WebhookIngestBenchmark.WEBHOOK_PATH + "\"")
            && line.contains("status=\"204\""));
  }

  /** How many refusals the service timed, and the share answered within a bound. */
  record RefusalTiming(long count, double shareWithin) {}

  /**
   * The service's own timing of a phase (see {@link Sample#serviceTimesSince}); the p99s are bucket
   * bounds ("≤ 12.6 ms"), empty when the timer recorded nothing.
   */
  record ServiceTimes(
      RefusalTiming refusals,
      String groupWaitP99,
      String groupTransactionP99,
      String answeredP99,
      long gcPauses,
      double gcSeconds) {}

  private final Connection connection;
  private final HttpClient http = HttpClient.newHttpClient();
  private volatile URI prometheus;

  ServerStats(String jdbcUrl) throws SQLException {
    connection = DriverManager.getConnection(jdbcUrl);
  }

  void service(int port) {
    prometheus = URI.create("http://localhost:" + port + "/actuator/prometheus");
  }

  Sample sample() {
    long wal = 0;
    long checkpoints = 0;
    double write = 0;
    double sync = 0;
    try (var statement = connection.createStatement();
        var rows =
            statement.executeQuery(
                "select (select wal_bytes from pg_stat_wal)::bigint, c.num_timed + c.num_requested,"
                    + " c.write_time, c.sync_time from pg_stat_checkpointer c")) {
      if (rows.next()) {
        wal = rows.getLong(1);
        checkpoints = rows.getLong(2);
        write = rows.getDouble(3);
        sync = rows.getDouble(4);
      }
    } catch (SQLException e) {
      // statistics are a nicety
    }
    long pauses = 0;
    double gc = 0;
    double jit = 0;
    var histograms = new java.util.HashMap<String, java.util.NavigableMap<Double, Long>>();
    if (prometheus != null) {
      try {
        String body =
            http.send(
                    HttpRequest.newBuilder(prometheus).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        for (String line : body.lines().toList()) {
          if (line.startsWith("jvm_gc_pause_seconds_count")) {
            pauses += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          } else if (line.startsWith("jvm_gc_pause_seconds_sum")) {
            gc += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          } else if (line.startsWith("jvm_compilation_time_ms_total")) {
            jit += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) / 1000;
          } else if (line.contains("_bucket{")) {
            String metric = line.substring(0, line.indexOf("_bucket{"));
            if (TIMERS.contains(metric) && counted(metric, line)) {
              int le = line.indexOf("le=\"") + 4;
              String bound = line.substring(le, line.indexOf('"', le));
              histograms
                  .computeIfAbsent(metric, m -> new java.util.TreeMap<>())
                  .merge(
                      bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound),
                      (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                      Long::sum);
            }
          }
        }
      } catch (Exception e) {
        // statistics are a nicety
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
    long benchPauses = 0;
    long benchMillis = 0;
    for (var collector : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector.getName().contains("Concurrent")) {
        continue; // G1's concurrent cycles run beside the application: not pauses
      }
      benchPauses += Math.max(0, collector.getCollectionCount());
      benchMillis += Math.max(0, collector.getCollectionTime());
    }
    return new Sample(
        wal,
        checkpoints,
        write,
        sync,
        pauses,
        gc,
        jit,
        benchPauses,
        benchMillis / 1000.0,
        histograms);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
