package io.paybridge.bench;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.events.billing.PaymentFact;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.json.JsonMapper;

/**
 * billing-service's outcome analytics: query latency over a large history, and the rate at which
 * the roll-ups take facts through the real consumer path.
 *
 * <p>billing-service runs as its own process on an embedded PostgreSQL 17 with production
 * durability and the embedded broker. Then:
 *
 * <ol>
 *   <li>History: 1,000,000 synthetic payments (default) of 200 merchants in 10 teams over the last
 *       365 days (outcomes, amounts, failure causes and times drawn from fixed hashes of the
 *       payment number), plus 200,000 billing requests, are aggregated by SQL straight into the
 *       daily roll-up tables and from them into the monthly ones (what the consumer would have
 *       built from their facts, not through it).
 *   <li>Queries: a mix of {@code GET /analytics/outcomes} over HTTP with team tokens, one at a
 *       time: a team's last 30 days by day (40 %), one merchant's last 90 days by week (30 %), a
 *       team's last 12 months by month (20 %), a team's 30 days filtered by scheme, currency and
 *       amount band (10 %). Each answers the period, the previous period and the series. After a
 *       warm-up, the latency of each is recorded: p50, p90, p99, max. Target: p99 &lt;= 100 ms.
 *   <li>Apply rate: {@code facts} new payment facts (PaymentCreated, PaymentConfirmed,
 *       PaymentPaidOut; a PaymentFailed before the confirmation for every fourth payment) published
 *       at once on {@code billing.payment}, as billing-service's relay publishes them; measured
 *       from the first sent to the last of them recorded by the analytics consumer ({@code
 *       consumed_message}, counted by their ids), then checked against the roll-ups (payments
 *       created, recovered); an inexact run prints diagnostics. Target: &gt;= 3,000 facts/s.
 * </ol>
 *
 * <p>{@code ./mvnw -pl bench -am -Pbench-analytics package -DskipTests
 * [-Dbench.analytics.args="payments=1000000 queries=2000 facts=52000"]}.
 */
public final class AnalyticsBenchmark {

  static final String SERVICE = "billing-service";
  static final String CONSUMER = "billing-service-analytics";
  static final int MERCHANTS = 200;
  static final int TEAMS = 10;
  static final double TARGET_P99_MS = 100;
  static final double TARGET_FACTS_PER_SECOND = 3_000;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public static void main(String[] args) throws Exception {
    var settings =
        BenchMain.options(
            Map.of("payments", "1000000", "queries", "2000", "warmup", "300", "facts", "52000"),
            args);
    BenchMain.runAndExit(
        () ->
            run(
                Integer.parseInt(settings.get("payments")),
                Integer.parseInt(settings.get("queries")),
                Integer.parseInt(settings.get("warmup")),
                Integer.parseInt(settings.get("facts"))));
  }

  private static void run(int payments, int queries, int warmup, int facts) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    say(
        "outcome analytics benchmark: "
            + payments
            + " payments of history, "
            + MERCHANTS
            + " merchants, "
            + queries
            + " queries, "
            + facts
            + " facts");
    say("date: " + Instant.now());
    say(BenchMain.machine());
    var postgres = BenchPostgres.start("production");
    var kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(
        Topics.BILLING_PAYMENT,
        Topics.BILLING_MANDATE,
        Topics.BILLING_BILLING_REQUEST,
        Topics.MERCHANTS_CONNECTION);
    var issuer = TestIssuer.get();
    String jdbcUrl = postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(SERVICE));
    var extra = new LinkedHashMap<String, String>();
    extra.put("logging.level.io.paybridge", "warn");
    // A batch that fails and is applied record by record is logged at debug: the diagnostics below
    // count those in the log when the exactness check fails.
    extra.put("logging.level.io.paybridge.platform.outbox.IdempotentConsumer", "debug");
    extra.put("paybridge.security.jwt.issuer-uri", issuer.issuerUri());
    extra.put("paybridge.gocardless.base-url", "http://127.0.0.1:9/");
    extra.put("paybridge.gocardless.merchant-tokens-url", "http://127.0.0.1:9");
    extra.put(
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri",
        issuer.issuerUri() + "/token");
    extra.put("spring.security.oauth2.client.registration.oauth-service.client-secret", "bench");
    int port = BillingProjectionBenchmark.freePort();
    int managementPort = BillingProjectionBenchmark.freePort();
    var service =
        new ServiceProcess(
                SERVICE,
                root.resolve(SERVICE + "/target"),
                port,
                managementPort,
                ServiceProcess.arguments(
                    port, managementPort, jdbcUrl, kafka.bootstrapServers(), extra),
                root.resolve("bench/target/logs"))
            .withJvmOptions(WebhookIngestBenchmark.SERVICE_JVM_OPTIONS);
    say("starting " + SERVICE + " (log: " + service.log() + ")");
    service.start();
    Thread stop = new Thread(service::stop);
    Runtime.getRuntime().addShutdownHook(stop);
    Histogram all;
    Map<String, Histogram> byQuery;
    double factsPerSecond;
    boolean exact;
    try (Connection db =
        DriverManager.getConnection(
            jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)) {
      service.awaitReady(Duration.ofMinutes(3));
      long loadStart = System.nanoTime();
      loadHistory(db, payments);
      say(
          String.format(
              "history: %d payments aggregated into %d payment roll-up rows, %d failure rows,"
                  + " %d mandate set-up rows in %.1f s",
              payments,
              BillingProjectionBenchmark.count(db, "select count(*) from analytics_payment_rollup"),
              BillingProjectionBenchmark.count(db, "select count(*) from analytics_failure_rollup"),
              BillingProjectionBenchmark.count(
                  db, "select count(*) from analytics_mandate_setup_rollup"),
              (System.nanoTime() - loadStart) / 1e9));
      say(
          String.format(
              "monthly roll-ups: %d payment rows, %d failure rows, %d mandate set-up rows",
              BillingProjectionBenchmark.count(
                  db, "select count(*) from analytics_payment_rollup_month"),
              BillingProjectionBenchmark.count(
                  db, "select count(*) from analytics_failure_rollup_month"),
              BillingProjectionBenchmark.count(
                  db, "select count(*) from analytics_mandate_setup_rollup_month")));

      byQuery = new LinkedHashMap<>();
      all = new Histogram(60_000_000L, 3);
      var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      var tokens = new ArrayList<String>();
      for (int t = 0; t < TEAMS; t++) {
        tokens.add(issuer.teamToken(team(t), SERVICE, "payments:read"));
      }
      var random = new Random(42);
      String base = "http://127.0.0.1:" + port;
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      for (int i = 0; i < warmup + queries; i++) {
        int t = random.nextInt(TEAMS);
        int pick = random.nextInt(100);
        String name;
        String query;
        if (pick < 40) {
          name = "team, 30 days by day";
          query = "from=" + today.minusDays(29) + "&to=" + today + "&period=day";
        } else if (pick < 70) {
          name = "merchant, 90 days by week";
          int merchant = t + TEAMS * random.nextInt(MERCHANTS / TEAMS);
          query =
              "merchantId="
                  + merchantId(merchant)
                  + "&from="
                  + today.minusDays(89)
                  + "&to="
                  + today
                  + "&period=week";
        } else if (pick < 90) {
          name = "team, 12 months by month";
          query = "from=" + today.minusDays(364) + "&to=" + today + "&period=month";
        } else {
          name = "team, 30 days, scheme+currency+band";
          query =
              "scheme=bacs&currency=GBP&amountBand=10_100&from="
                  + today.minusDays(29)
                  + "&to="
                  + today;
        }
        var request =
            HttpRequest.newBuilder(URI.create(base + "/analytics/outcomes?" + query))
                .header("Authorization", "Bearer " + tokens.get(t))
                .timeout(Duration.ofSeconds(30))
                .build();
        long start = System.nanoTime();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long micros = (System.nanoTime() - start) / 1000;
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              "GET " + query + " answered " + response.statusCode() + ": " + response.body());
        }
        if (i >= warmup) {
          all.recordValue(micros);
          byQuery.computeIfAbsent(name, n -> new Histogram(60_000_000L, 3)).recordValue(micros);
        }
      }
      for (var entry : byQuery.entrySet()) {
        say("query " + entry.getKey() + ": " + figures(entry.getValue()));
      }
      say("query mix: " + figures(all));

      // The apply rate, through Kafka and the analytics consumer.
      int perPayment4 = 13; // 3 facts for each payment, 4 for every fourth: 13 per 4 payments
      int newPayments = Math.max(4, facts * 4 / perPayment4 / 4 * 4);
      List<ProducerRecord<String, String>> records = facts(newPayments, today);
      say("publishing " + records.size() + " facts of " + newPayments + " payments");
      long start = System.nanoTime();
      try (var producer = BillingProjectionBenchmark.producer(kafka.bootstrapServers())) {
        for (var record : records) {
          producer.send(record);
        }
        producer.flush();
      }
      // The end is this benchmark's own facts all applied, counted by their ids: the consumer also
      // applies facts billing-service publishes itself in the meantime (a PaymentRetryScheduled or
      // PaymentRetryDeclined for every PaymentFailed), so a count of all its applied ids reaches
      // the number sent while some of these are still to come.
      long applied =
          BillingProjectionBenchmark.waitFor(
              db, APPLIED_BENCH_FACTS, records.size(), Duration.ofMinutes(30));
      double seconds = (applied - start) / 1e9;
      factsPerSecond = records.size() / seconds;
      long created =
          BillingProjectionBenchmark.count(
              db,
              "select coalesce(sum(created), 0) from analytics_payment_rollup where merchant_id = '"
                  + BENCH_MERCHANT
                  + "'");
      long recovered =
          BillingProjectionBenchmark.count(
              db,
              "select coalesce(sum(recovered_gocardless + recovered_paybridge), 0)"
                  + " from analytics_payment_rollup where merchant_id = '"
                  + BENCH_MERCHANT
                  + "'");
      long createdByMonth =
          BillingProjectionBenchmark.count(
              db,
              "select coalesce(sum(created), 0) from analytics_payment_rollup_month"
                  + " where merchant_id = '"
                  + BENCH_MERCHANT
                  + "'");
      exact = created == newPayments && recovered == newPayments / 4 && createdByMonth == created;
      say(
          String.format(
              "apply: %d facts in %.2f s: %.0f facts/s; roll-ups: %d payments created (expected %d),"
                  + " %d recovered (expected %d), %d created by month%s",
              records.size(),
              seconds,
              factsPerSecond,
              created,
              newPayments,
              recovered,
              newPayments / 4,
              createdByMonth,
              exact ? "" : " - EXACTNESS CHECK FAILED"));
      if (!exact) {
        diagnose(db, service.log());
      }
    } finally {
      service.stop();
      Runtime.getRuntime().removeShutdownHook(stop);
    }
    double p99 = all.getValueAtPercentile(99) / 1000.0;
    say(
        String.format(
            "result: query p99 %.1f ms (%.2f x the target of %.0f ms): %s",
            p99, p99 / TARGET_P99_MS, TARGET_P99_MS, p99 <= TARGET_P99_MS ? "MET" : "NOT MET"));
    say(
        String.format(
            "result: apply rate %.0f facts/s (%.2f x the target of %.0f facts/s): %s",
            factsPerSecond,
            factsPerSecond / TARGET_FACTS_PER_SECOND,
            TARGET_FACTS_PER_SECOND,
            factsPerSecond >= TARGET_FACTS_PER_SECOND && exact ? "MET" : "NOT MET"));
    say("load at the end " + CpuSampler.loadAverage());
  }

  /**
   * Where an inexact run's contributions went: the payments' state rows (what the roll-ups should
   * hold), the applied event ids, the roll-ups read again a few seconds later (a late commit), and
   * the batches the consumer applied record by record.
   */
  private static void diagnose(Connection db, Path log) throws Exception {
    for (int round = 0; round < 2; round++) {
      say(
          String.format(
              "diagnostics%s: %d state rows, %d with their creation, %d with a failure and a"
                  + " confirmation; %d of this run's facts applied (%d event ids in all);"
                  + " roll-ups: %d created by day, %d by month, %d recovered",
              round == 0 ? "" : " 5 s later",
              BillingProjectionBenchmark.count(
                  db, "select count(*) from analytics_payment where payment_id like 'PMBENCH%'"),
              BillingProjectionBenchmark.count(
                  db,
                  "select count(*) from analytics_payment where payment_id like 'PMBENCH%'"
                      + " and created_at is not null"),
              BillingProjectionBenchmark.count(
                  db,
                  "select count(*) from analytics_payment where payment_id like 'PMBENCH%'"
                      + " and facts @> '[{\"type\":\"failed\"}]'"
                      + " and facts @> '[{\"type\":\"confirmed\"}]'"),
              BillingProjectionBenchmark.count(db, APPLIED_BENCH_FACTS),
              BillingProjectionBenchmark.count(
                  db, "select count(*) from consumed_message where consumer = '" + CONSUMER + "'"),
              BillingProjectionBenchmark.count(
                  db,
                  "select coalesce(sum(created), 0) from analytics_payment_rollup"
                      + " where merchant_id = '"
                      + BENCH_MERCHANT
                      + "'"),
              BillingProjectionBenchmark.count(
                  db,
                  "select coalesce(sum(created), 0) from analytics_payment_rollup_month"
                      + " where merchant_id = '"
                      + BENCH_MERCHANT
                      + "'"),
              BillingProjectionBenchmark.count(
                  db,
                  "select coalesce(sum(recovered_gocardless + recovered_paybridge), 0)"
                      + " from analytics_payment_rollup where merchant_id = '"
                      + BENCH_MERCHANT
                      + "'")));
      if (round == 0) {
        Thread.sleep(5_000);
      }
    }
    var lines = java.nio.file.Files.readAllLines(log);
    say(
        String.format(
            "diagnostics: service log: %d batches applied one by one, %d lines naming a deadlock,"
                + " %d naming a timeout or cancel, %d ERROR lines",
            lines.stream().filter(l -> l.contains("applying them one by one")).count(),
            lines.stream().filter(l -> l.toLowerCase().contains("deadlock")).count(),
            lines.stream()
                .filter(
                    l ->
                        l.toLowerCase().contains("timeout")
                            || l.toLowerCase().contains("timed out")
                            || l.toLowerCase().contains("cancel"))
                .count(),
            lines.stream().filter(l -> l.contains("ERROR")).count()));
    lines.stream()
        .filter(l -> l.contains("applying them one by one") || l.contains("ERROR"))
        .limit(10)
        .forEach(l -> say("log: " + (l.length() > 600 ? l.substring(0, 600) : l)));
  }

  static final String BENCH_MERCHANT = "00000000-0000-4000-8000-00000000beef";

  /**
   * 1,000,000 synthetic payments into the roll-ups, by SQL: each payment's merchant, day, amount,
   * outcome, failure cause and times come from hashes of its number, so every run loads the same
   * history. The columns mean what PaymentOutcome's do.
   */
  private static void loadHistory(Connection db, int payments) throws Exception {
    try (var st = db.createStatement()) {
      for (int m = 0; m < MERCHANTS; m++) {
        st.addBatch(
            "insert into merchant (id, team, organisation_id, connected, updated_at) values ('"
                + merchantId(m)
                + "', '"
                + team(m % TEAMS)
                + "', 'OR"
                + String.format("%010d", m)
                + "', true, now())");
      }
      st.executeBatch();
      st.execute(
          """
          create temporary table synthetic as
          select n, m,
              '00000000-0000-4000-8000-' || lpad(m::text, 12, '0') as merchant_id,
              'team-' || lpad((m %% %d)::text, 2, '0') as team,
              case when m %% 4 = 0 then 'sepa_core' else 'bacs' end as scheme,
              case when m %% 4 = 0 then 'EUR' else 'GBP' end as currency,
              current_date - ((hashint4(n) & 2147483647) %% 365) as day,
              500 + (hashint4(n + 100000000) & 2147483647) %% 150000 as amount,
              (hashint4(n + 200000000) & 2147483647) %% 100 as o,
              (hashint4(n + 300000000) & 2147483647) %% 40 as r,
              (hashint4(n + 400000000) & 2147483647) %% 5 as c,
              (hashint4(n + 500000000) & 2147483647) %% 4 as b
          from (select n, n %% %d as m from generate_series(0, %d) n) g
          """
              .formatted(TEAMS, MERCHANTS, payments - 1));
      st.execute(
          """
          create temporary table synthetic_payment as
          select *,
              case when amount < 1000 then 'lt_10' when amount < 10000 then '10_100'
                   when amount < 100000 then '100_1000' else 'gte_1000' end as band,
              (o < 85) as collected, (o >= 85 and o < 92) as failed, (o >= 92 and o < 94) as charged_back,
              (o >= 94 and o < 96) as cancelled,
              (o >= 85 and o < 92 and r < 4) as late_failed,
              (o < 85 and r < 2) as recovered_gc, (o < 85 and r >= 2 and r < 4) as recovered_pb
          from synthetic
          """);
      st.execute(
          """
          insert into analytics_payment_rollup
          select merchant_id, scheme, currency, band, day, team,
              count(*), sum(amount),
              count(*) filter (where collected), coalesce(sum(amount) filter (where collected), 0),
              count(*) filter (where failed), coalesce(sum(amount) filter (where failed), 0),
              count(*) filter (where charged_back), coalesce(sum(amount) filter (where charged_back), 0),
              count(*) filter (where cancelled),
              count(*) filter (where late_failed),
              count(*) filter (where charged_back),
              count(*) filter (where (failed and not late_failed) or recovered_gc or recovered_pb),
              count(*) filter (where recovered_gc), coalesce(sum(amount) filter (where recovered_gc), 0),
              count(*) filter (where recovered_pb), coalesce(sum(amount) filter (where recovered_pb), 0),
          """
              + buckets()
              + """
          from synthetic_payment group by merchant_id, scheme, currency, band, day, team
          """);
      st.execute(
          """
          insert into analytics_failure_rollup
          select merchant_id, scheme, currency, band, day,
              (array['insufficient_funds','refer_to_payer','bank_account_closed','authorisation_disputed',
                     'mandate_cancelled'])[c + 1],
              case when scheme = 'bacs' then 'ARUDD-' || c else 'AM0' || c end, team, count(*)
          from synthetic_payment where failed or recovered_gc or recovered_pb
          group by merchant_id, scheme, currency, band, day, c, team
          """);
      st.execute(
          """
          insert into analytics_mandate_setup_rollup
          select '00000000-0000-4000-8000-' || lpad((n %% %d)::text, 12, '0'),
              case when (n %% %d) %% 4 = 0 then 'sepa_core' else 'bacs' end,
              current_date - ((hashint4(n + 600000000) & 2147483647) %% 365),
              'team-' || lpad(((n %% %d) %% %d)::text, 2, '0'),
              count(*), count(*) filter (where (hashint4(n + 700000000) & 2147483647) %% 10 < 8),
              count(*) filter (where (hashint4(n + 700000000) & 2147483647) %% 10 < 7)
          from generate_series(0, %d) n group by 1, 2, 3, 4
          """
              .formatted(MERCHANTS, MERCHANTS, MERCHANTS, TEAMS, payments / 5 - 1));
      st.execute("drop table synthetic_payment");
      st.execute("drop table synthetic");
      // The monthly roll-ups (V17) hold each month's sums of the daily rows, as the consumer
      // keeps them.
      monthly(db, "analytics_payment_rollup");
      monthly(db, "analytics_failure_rollup");
      monthly(db, "analytics_mandate_setup_rollup");
      st.execute(
          "vacuum analyze analytics_payment_rollup, analytics_failure_rollup,"
              + " analytics_mandate_setup_rollup, analytics_payment_rollup_month,"
              + " analytics_failure_rollup_month, analytics_mandate_setup_rollup_month");
    }
  }

  /**
   * Fills {@code table}'s {@code _month} twin from it: its bigint columns summed per month, the
   * other columns (the key and the team) grouped, {@code day} as the month's first day.
   */
  private static void monthly(Connection db, String table) throws Exception {
    var keys = new ArrayList<String>();
    var selected = new ArrayList<String>();
    try (var columns =
        db.prepareStatement(
            "select column_name, data_type from information_schema.columns where table_name = ?"
                + " order by ordinal_position")) {
      columns.setString(1, table);
      try (var rs = columns.executeQuery()) {
        while (rs.next()) {
          String column = rs.getString(1);
          if (column.equals("day")) {
            selected.add("date_trunc('month', day)::date");
          } else if (rs.getString(2).equals("bigint")) {
            selected.add("sum(" + column + ")");
          } else {
            selected.add(column);
            keys.add(column);
          }
        }
      }
    }
    keys.add("date_trunc('month', day)::date");
    try (var st = db.createStatement()) {
      st.execute(
          "insert into "
              + table
              + "_month select "
              + String.join(", ", selected)
              + " from "
              + table
              + " group by "
              + String.join(", ", keys));
    }
  }

  /**
   * The time histogram columns: a payment confirmed (also if it failed late or was charged back
   * later) is in confirmed bucket 8 + b (60 h to 96 h), a collected one in paid-out bucket 12 + b %
   * 3 (108 h to 144 h).
   */
  private static String buckets() {
    var columns = new ArrayList<String>();
    for (int i = 0; i < BUCKETS; i++) {
      columns.add(
          "count(*) filter (where (collected or late_failed or charged_back) and 8 + b = "
              + i
              + ")");
    }
    for (int i = 0; i < BUCKETS; i++) {
      columns.add("count(*) filter (where collected and 12 + b % 3 = " + i + ")");
    }
    return String.join(",\n", columns);
  }

  /** Buckets per time histogram of the roll-ups (billing-service's PaymentOutcome.BUCKETS). */
  static final int BUCKETS = 23;

  /** New payments' facts, as billing-service publishes them (key = payment id, headers). */
  private static List<ProducerRecord<String, String>> facts(int payments, LocalDate today) {
    var records = new ArrayList<ProducerRecord<String, String>>();
    String team = "team-bench";
    Instant day = today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    for (int i = 0; i < payments; i++) {
      String payment = "PMBENCH" + String.format("%08d", i);
      Instant created = day.plusSeconds(i % 80_000);
      var list = new ArrayList<BillingFact>();
      list.add(
          new PaymentFact.PaymentCreated(
              BENCH_MERCHANT,
              team,
              "OR0000BENCH001",
              payment,
              "MD0000BENCH001",
              2500,
              "GBP",
              "bacs",
              today.plusDays(3),
              created,
              ev(i, 0)));
      if (i % 4 == 0) {
        list.add(
            new PaymentFact.PaymentFailed(
                BENCH_MERCHANT,
                team,
                "OR0000BENCH001",
                payment,
                "MD0000BENCH001",
                2500,
                "GBP",
                "insufficient_funds",
                "ARUDD-0",
                "bench",
                i % 8 == 0,
                created.plusSeconds(3600 * 72),
                ev(i, 1)));
      }
      list.add(
          new PaymentFact.PaymentConfirmed(
              BENCH_MERCHANT,
              team,
              "OR0000BENCH001",
              payment,
              "MD0000BENCH001",
              2500,
              "GBP",
              created.plusSeconds(3600 * 96),
              ev(i, 2)));
      list.add(
          new PaymentFact.PaymentPaidOut(
              BENCH_MERCHANT,
              team,
              "OR0000BENCH001",
              payment,
              "MD0000BENCH001",
              2500,
              "GBP",
              "PO0000BENCH001",
              created.plusSeconds(3600 * 120),
              ev(i, 3)));
      for (var fact : list) {
        var record =
            new ProducerRecord<String, String>(
                fact.topic(), fact.resourceId(), JSON.writeValueAsString(fact));
        BillingProjectionBenchmark.header(record, EventHeaders.ID, eventId(records.size()));
        BillingProjectionBenchmark.header(record, EventHeaders.EVENT_TYPE, fact.eventType());
        BillingProjectionBenchmark.header(record, EventHeaders.TENANT, team);
        BillingProjectionBenchmark.header(record, EventHeaders.ORGANISATION_ID, "OR0000BENCH001");
        records.add(record);
      }
    }
    return records;
  }

  /**
   * Event ids of this benchmark's facts: UUIDs of a prefix no other publisher's random ids have.
   */
  static final String EVENT_ID_PREFIX = "00000000-bea0-4000-8000-";

  private static String eventId(int n) {
    return EVENT_ID_PREFIX + String.format("%012d", n);
  }

  /** How many of this benchmark's facts the analytics consumer has applied. */
  static final String APPLIED_BENCH_FACTS =
      "select count(*) from consumed_message where consumer = '"
          + CONSUMER
          + "' and event_id like '"
          + EVENT_ID_PREFIX
          + "%'";

  private static String ev(int payment, int step) {
    return "EVB" + step + String.format("%09d", payment);
  }

  private static String figures(Histogram h) {
    return String.format(
        "n=%d p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0);
  }

  private static String merchantId(int m) {
    return "00000000-0000-4000-8000-" + String.format("%012d", m);
  }

  private static String team(int t) {
    return "team-" + String.format("%02d", t);
  }

  private static void say(String line) {
    System.out.println("[analytics-bench] " + line);
  }
}
