package io.paybridge.bench;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.SignedWebhooks;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.flywaydb.core.Flyway;

/**
 * The baseline: the rows the service writes per webhook, inserted straight into PostgreSQL over
 * JDBC with the service's own statement — the webhook_delivery row, the gocardless_event rows and
 * their outbox_event rows in one statement, a transaction of its own (autocommit), as the service
 * writes a group without anything to quarantine — with no HTTP, no signature check, no JSON
 * parsing, no Spring and no relay reading the WAL.
 */
final class JdbcBaseline {

  /** What one baseline run measured. */
  record Result(
      int eventsPerTransaction,
      int connections,
      Duration elapsed,
      long transactions,
      Histogram commitLatencyMicros,
      CpuSampler.Usage cpu,
      String loadBefore,
      String loadAfter,
      String serverActivity) {

    double transactionsPerSecond() {
      return transactions / (elapsed.toNanos() / 1e9);
    }

    double eventsPerSecond() {
      return transactionsPerSecond() * eventsPerTransaction;
    }
  }

  private final String jdbcUrl;
  private final ProductionSql sql;
  private final SignedWebhooks webhooks;
  private final CpuSampler cpu;

  private final ServerStats stats;

  JdbcBaseline(
      String jdbcUrl,
      ProductionSql sql,
      SignedWebhooks webhooks,
      CpuSampler cpu,
      ServerStats stats) {
    this.stats = stats;
    this.jdbcUrl = jdbcUrl;
    this.sql = sql;
    this.webhooks = webhooks;
    this.cpu = cpu;
  }

  /** Creates the service's tables in the (empty) baseline database with its migrations. */
  void createSchema() {
    Flyway.configure()
        .dataSource(jdbcUrl, null, null)
        .locations(ProductionSql.MIGRATIONS)
        .load()
        .migrate();
  }

  Result run(String phase, int eventsPerTransaction, int connections, Duration duration)
      throws Exception {
    var latency = new ConcurrentHistogram(Duration.ofSeconds(60).toNanos() / 1000, 3);
    var transactions = new AtomicLong();
    var failure = new java.util.concurrent.atomic.AtomicReference<Exception>();
    var open = new ArrayList<Connection>();
    for (int i = 0; i < connections; i++) {
      open.add(connect()); // autocommit: the statement is its transaction
    }
    String loadBefore = CpuSampler.loadAverage();
    var before = cpu.sample();
    var statsBefore = stats.sample();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    var threads = new ArrayList<Thread>();
    for (var connection : open) {
      threads.add(
          Thread.ofPlatform()
              .name("baseline-" + threads.size())
              .start(
                  () -> {
                    try {
                      while (System.nanoTime() < end) {
                        var webhook = webhooks.next(phase, eventsPerTransaction);
                        long begin = System.nanoTime();
                        insert(connection, webhook);
                        latency.recordValue((System.nanoTime() - begin) / 1000);
                        transactions.incrementAndGet();
                      }
                    } catch (Exception e) {
                      failure.compareAndSet(null, e);
                    }
                  }));
    }
    for (var thread : threads) {
      thread.join();
    }
    long elapsed = System.nanoTime() - start;
    var usage = cpu.sample().since(before);
    String activity = stats.sample().since(statsBefore, false);
    String loadAfter = CpuSampler.loadAverage();
    for (var connection : open) {
      connection.close();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("Baseline failed", failure.get());
    }
    return new Result(
        eventsPerTransaction,
        connections,
        Duration.ofNanos(elapsed),
        transactions.get(),
        latency,
        usage,
        loadBefore,
        loadAfter,
        activity);
  }

  /** One webhook's transaction, as WebhookRepository.insertGroup runs it for a group of one. */
  private void insert(Connection connection, SignedWebhooks.Webhook webhook) throws SQLException {
    UUID deliveryId = UUID.randomUUID();
    var receivedAt = Timestamp.from(Instant.now());
    String traceparent = traceparent();
    List<SignedWebhooks.Event> events = webhook.events();
    int n = events.size();
    var fresh = new ArrayList<String>(n);
    try (var insert = connection.prepareStatement(sql.insertGroup())) {
      // The delivery: one element per array.
      insert.setArray(1, connection.createArrayOf("uuid", new Object[] {deliveryId}));
      insert.setArray(2, connection.createArrayOf("text", new Object[] {webhook.webhookId()}));
      insert.setArray(3, connection.createArrayOf("timestamptz", new Object[] {receivedAt}));
      insert.setArray(4, connection.createArrayOf("text", new Object[] {webhook.signature()}));
      insert.setArray(
          5, connection.createArrayOf("text", new Object[] {"gocardless-webhook-service/1.1"}));
      insert.setArray(6, connection.createArrayOf("text", new Object[] {null}));
      insert.setArray(7, connection.createArrayOf("text", new Object[] {traceparent}));
      insert.setArray(8, connection.createArrayOf("bytea", new byte[][] {webhook.body()}));
      insert.setArray(9, connection.createArrayOf("integer", new Object[] {n}));
      // Its events.
      insert.setObject(10, null, java.sql.Types.BIGINT); // released_from: not a release
      insert.setArray(
          11,
          connection.createArrayOf(
              "varchar", events.stream().map(SignedWebhooks.Event::id).toArray()));
      insert.setArray(12, connection.createArrayOf("boolean", filled(n, Boolean.FALSE)));
      insert.setArray(
          13, connection.createArrayOf("varchar", filled(n, SignedWebhooks.RESOURCE_TYPE)));
      insert.setArray(14, connection.createArrayOf("varchar", filled(n, SignedWebhooks.ACTION)));
      insert.setArray(
          15,
          connection.createArrayOf(
              "varchar", events.stream().map(SignedWebhooks.Event::paymentId).toArray()));
      insert.setArray(
          16, connection.createArrayOf("varchar", filled(n, SignedWebhooks.ORGANISATION)));
      insert.setArray(
          17,
          connection.createArrayOf(
              "timestamptz",
              events.stream().map(e -> Timestamp.from(e.createdAt())).toArray(Timestamp[]::new)));
      insert.setArray(
          18,
          connection.createArrayOf(
              "text", events.stream().map(SignedWebhooks.Event::json).toArray()));
      insert.setArray(19, connection.createArrayOf("uuid", filled(n, deliveryId)));
      insert.setArray(20, connection.createArrayOf("timestamptz", filled(n, receivedAt)));
      // Their outbox records.
      String topic = Topics.forGoCardlessResourceType(SignedWebhooks.RESOURCE_TYPE);
      insert.setTimestamp(21, Timestamp.from(Instant.now()));
      insert.setArray(
          22,
          connection.createArrayOf(
              "text", events.stream().map(SignedWebhooks.Event::id).toArray()));
      insert.setArray(23, connection.createArrayOf("text", filled(n, topic)));
      insert.setArray(
          24,
          connection.createArrayOf(
              "text", events.stream().map(SignedWebhooks.Event::paymentId).toArray()));
      insert.setArray(
          25,
          connection.createArrayOf(
              "text", filled(n, SignedWebhooks.RESOURCE_TYPE + "." + SignedWebhooks.ACTION)));
      insert.setArray(
          26,
          connection.createArrayOf(
              "text", events.stream().map(SignedWebhooks.Event::json).toArray()));
      insert.setArray(27, connection.createArrayOf("text", filled(n, null)));
      insert.setArray(28, connection.createArrayOf("text", filled(n, SignedWebhooks.ORGANISATION)));
      insert.setArray(29, connection.createArrayOf("text", filled(n, traceparent)));
      try (var rows = insert.executeQuery()) {
        while (rows.next()) {
          fresh.add(rows.getString(1));
        }
      }
    }
    if (fresh.size() != n) {
      throw new IllegalStateException("Event ids were not unique: " + fresh.size());
    }
  }

  private static Object[] filled(int n, Object value) {
    var values = new Object[n];
    java.util.Arrays.fill(values, value);
    return values;
  }

  private static String traceparent() {
    var random = ThreadLocalRandom.current();
    var hex = HexFormat.of();
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    random.nextBytes(trace);
    random.nextBytes(span);
    return "00-" + hex.formatHex(trace) + "-" + hex.formatHex(span) + "-01";
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl);
  }
}
