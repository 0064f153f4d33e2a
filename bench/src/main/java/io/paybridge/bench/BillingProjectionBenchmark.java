package io.paybridge.bench;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.gocardless.GoCardlessEventFields;
import io.paybridge.platform.events.gocardless.GoCardlessRecords;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.ServiceProcess;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * billing-service's projection throughput: GoCardless events applied exactly once per second.
 *
 * <p>billing-service runs as its own process (as local-stack runs it, with the benchmark's JVM
 * options) on an embedded PostgreSQL 17 with production durability and the embedded broker. A
 * connected merchant is announced on {@code merchants.connection}; {@code payments} payments are in
 * its projection already (written to its database, so that no event needs GoCardless); then three
 * events per payment ({@code submitted}, {@code confirmed}, {@code paid_out}, GoCardless's shape)
 * are published to {@code gocardless.payments} as webhook-ingest-service publishes them, all at
 * once. Measured: from the first event published to the last applied (every event id in {@code
 * consumed_message}), and then checked: each applied once, every payment {@code paid_out}, two
 * facts per payment in the outbox. Three runs of the service, each on payments of its own: a
 * baseline (a smaller number of payments by default) with {@code
 * paybridge.consumer.poll-in-one-transaction=false} and one consumer thread, one transaction per
 * event as the service applied events before; a poll per transaction on one consumer thread (what
 * the batches alone give); the service as configured. Prints the machine, the date, each figure,
 * its ratio to the baseline and to the target, and whether the target (3,000 events/s) is met.
 *
 * <p>{@code ./mvnw -pl bench -am package -DskipTests && java -cp ... BillingProjectionBenchmark
 * [payments [baseline payments]]} — or {@code ./mvnw -Pbench-billing -pl bench -am package}. The
 * system property {@code bench.billing.serviceJvm} adds JVM options to the service (a JFR
 * recording, for example).
 */
public final class BillingProjectionBenchmark {

  static final String SERVICE = "billing-service";
  static final String ORGANISATION = "OR0000BENCH001";
  static final String TEAM = "team-bench";

  /** The target: GoCardless events applied exactly once per second, on 2 cores. */
  static final double TARGET_EVENTS_PER_SECOND = 3_000;

  public static void main(String[] args) throws Exception {
    int payments = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int baselinePayments = args.length > 1 ? Integer.parseInt(args[1]) : Math.max(1, payments / 5);
    BenchMain.runAndExit(() -> run(payments, baselinePayments));
  }

  /** One run of the service: its settings, the payments it gets events for, what it measured. */
  private record Phase(String name, Map<String, String> settings, int payments) {}

  private record Measured(int events, double seconds, boolean exact) {
    double perSecond() {
      return events / seconds;
    }
  }

  private static void run(int payments, int baselinePayments) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    say(
        "billing projection benchmark: "
            + payments
            + " payments ("
            + 3 * payments
            + " events), baseline "
            + baselinePayments
            + " payments ("
            + 3 * baselinePayments
            + " events)");
    say("date: " + Instant.now());
    say(BenchMain.machine());
    var postgres = BenchPostgres.start("production");
    var kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(
        Topics.GOCARDLESS_PAYMENTS, Topics.MERCHANTS_CONNECTION, Topics.BILLING_PAYMENT);
    var issuer = new MockOAuth2Server();
    issuer.start();
    String issuerUri = issuer.issuerUrl("paybridge").toString();
    String jdbcUrl = postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(SERVICE));
    String merchantId = UUID.randomUUID().toString();
    // The baseline: one transaction (and one commit) per event on one consumer thread, as the
    // service applied them before it applied a poll's records together on several threads; then the
    // service as configured.
    var phases =
        List.of(
            new Phase(
                "baseline (one transaction per event, one consumer thread)",
                Map.of(
                    "paybridge.consumer.poll-in-one-transaction", "false",
                    "spring.kafka.listener.concurrency", "1"),
                baselinePayments),
            new Phase(
                "a poll per transaction, one consumer thread",
                Map.of("spring.kafka.listener.concurrency", "1"),
                payments),
            new Phase("service as configured", Map.of(), payments));
    var results = new LinkedHashMap<String, Measured>();
    try (var db =
        DriverManager.getConnection(
            jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)) {
      int first = 0;
      for (var phase : phases) {
        var extra = new LinkedHashMap<String, String>();
        extra.put("logging.level.io.paybridge", "warn");
        extra.put("paybridge.security.jwt.issuer-uri", issuerUri);
        // Never called: every payment is in the projection before its events.
        extra.put("paybridge.gocardless.base-url", "http://127.0.0.1:9/");
        extra.put("paybridge.gocardless.merchant-tokens-url", "http://127.0.0.1:9");
        extra.put(
            "spring.security.oauth2.client.provider.paybridge-idp.token-uri", issuerUri + "/token");
        extra.put(
            "spring.security.oauth2.client.registration.oauth-service.client-secret", "bench");
        extra.putAll(phase.settings());
        int port = freePort();
        int managementPort = freePort();
        var jvm = new ArrayList<>(WebhookIngestBenchmark.SERVICE_JVM_OPTIONS);
        String serviceJvm = System.getProperty("bench.billing.serviceJvm", "");
        if (!serviceJvm.isBlank()) {
          jvm.addAll(List.of(serviceJvm.trim().split("\\s+")));
        }
        var service =
            new ServiceProcess(
                    SERVICE,
                    root.resolve(SERVICE + "/target"),
                    port,
                    managementPort,
                    ServiceProcess.arguments(
                        port, managementPort, jdbcUrl, kafka.bootstrapServers(), extra),
                    root.resolve("bench/target/logs"))
                .withJvmOptions(jvm);
        say("[" + phase.name() + "] starting " + SERVICE + " (log: " + service.log() + ")");
        service.start();
        Thread serviceStop = new Thread(service::stop);
        Runtime.getRuntime().addShutdownHook(serviceStop);
        try {
          service.awaitReady(Duration.ofMinutes(3));
          if (first == 0) {
            connect(kafka.bootstrapServers(), db, merchantId);
          }
          results.put(
              phase.name(), measure(phase, first, merchantId, kafka.bootstrapServers(), db));
        } finally {
          service.stop();
          Runtime.getRuntime().removeShutdownHook(serviceStop);
        }
        first += phase.payments();
      }
    } finally {
      issuer.shutdown();
    }
    Measured baseline = results.get(phases.get(0).name());
    for (var phase : phases) {
      Measured measured = results.get(phase.name());
      say(
          String.format(
              "result: %s: %.0f events/s, %.1f x the baseline, %.2f x the target%s",
              phase.name(),
              measured.perSecond(),
              measured.perSecond() / baseline.perSecond(),
              measured.perSecond() / TARGET_EVENTS_PER_SECOND,
              measured.exact() ? "" : " (exactness checks FAILED)"));
    }
    Measured batched = results.get(phases.getLast().name());
    boolean met = batched.exact() && batched.perSecond() >= TARGET_EVENTS_PER_SECOND;
    say(
        "target (>= "
            + (int) TARGET_EVENTS_PER_SECOND
            + " events applied exactly once per second): "
            + (met ? "MET" : "NOT MET")
            + (batched.exact() ? "" : " (the checks of exactness failed)")
            + ", load at the end "
            + CpuSampler.loadAverage());
  }

  private static void connect(String bootstrapServers, java.sql.Connection db, String merchantId)
      throws Exception {
    try (var producer = producer(bootstrapServers)) {
      var connected =
          new ProducerRecord<String, String>(
              Topics.MERCHANTS_CONNECTION,
              merchantId,
              """
          {"merchantId":"%s","team":"%s","organisationId":"%s","creditorId":"CR0000BENCH001",
           "verificationStatus":"successful","connectedAt":"%s"}
          """
                  .formatted(merchantId, TEAM, ORGANISATION, Instant.now()));
      header(connected, EventHeaders.ID, UUID.randomUUID().toString());
      header(connected, EventHeaders.EVENT_TYPE, "MerchantConnected");
      header(connected, EventHeaders.TENANT, TEAM);
      producer.send(connected).get();
    }
    waitFor(
        db,
        "select count(*) from merchant where id = '" + merchantId + "'",
        1,
        Duration.ofMinutes(1));
  }

  static KafkaProducer<String, String> producer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
        new StringSerializer(),
        new StringSerializer());
  }

  /** Payments {@code first .. first + phase.payments() - 1}: seeded, then their events measured. */
  private static Measured measure(
      Phase phase, int first, String merchantId, String bootstrapServers, java.sql.Connection db)
      throws Exception {
    int payments = phase.payments();
    int last = first + payments;
    say("[" + phase.name() + "] seeding " + payments + " payments in the projection");
    Instant created = Instant.parse("2026-01-05T09:00:00Z");
    try (var insert =
        db.prepareStatement(
            """
            insert into payment (id, merchant_id, team, organisation_id, mandate_id, status, amount, currency,
                view, created_at, updated_at, last_event_at)
            values (?, ?, ?, ?, 'MD0000BENCH001', 'pending_submission', 1000, 'GBP', ?::jsonb, ?, ?, null)
            """)) {
      for (int i = first; i < last; i++) {
        String id = paymentId(i);
        insert.setString(1, id);
        insert.setString(2, merchantId);
        insert.setString(3, TEAM);
        insert.setString(4, ORGANISATION);
        insert.setString(
            5,
            """
            {"id":"%s","merchantId":"%s","status":"pending_submission","mandateId":"MD0000BENCH001",
             "amount":1000,"currency":"GBP","createdAt":"%s"}
            """
                .formatted(id, merchantId, created));
        insert.setTimestamp(6, Timestamp.from(created));
        insert.setTimestamp(7, Timestamp.from(created));
        insert.addBatch();
        if (i % 1000 == 999) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }

    List<ProducerRecord<String, String>> events = new ArrayList<>(3 * payments);
    String[] actions = {"submitted", "confirmed", "paid_out"};
    for (int step = 0; step < actions.length; step++) {
      for (int i = first; i < last; i++) {
        events.add(event(i, actions[step], created.plusSeconds(60L * (step + 1))));
      }
    }
    long consumedBefore =
        count(db, "select count(*) from consumed_message where consumer = 'billing-service'");
    say("[" + phase.name() + "] publishing " + events.size() + " events");
    long start = System.nanoTime();
    long published;
    try (var producer = producer(bootstrapServers)) {
      for (var record : events) {
        producer.send(record);
      }
      producer.flush();
      published = System.nanoTime();
    }
    long applied =
        waitFor(
            db,
            "select count(*) from consumed_message where consumer = 'billing-service'",
            consumedBefore + events.size(),
            Duration.ofMinutes(30));
    double seconds = (applied - start) / 1e9;
    String range = "between '" + paymentId(first) + "' and '" + paymentId(last - 1) + "'";
    long once =
        count(
            db,
            "select count(distinct event_id) from consumed_message where consumer = 'billing-service'"
                + " and substring(event_id from 5) between '"
                + String.format("%010d", first)
                + "' and '"
                + String.format("%010d", last - 1)
                + "'");
    long paidOut =
        count(db, "select count(*) from payment where status = 'paid_out' and id " + range);
    long facts =
        count(
            db,
            "select count(*) from outbox_event where type in ('PaymentConfirmed', 'PaymentPaidOut')"
                + " and aggregateid "
                + range);
    say(
        String.format(
            "[%s] published in %.2f s; applied %d events in %.2f s: %.0f events/s",
            phase.name(),
            (published - start) / 1e9,
            events.size(),
            seconds,
            events.size() / seconds));
    say(
        "["
            + phase.name()
            + "] distinct events applied "
            + once
            + " (expected "
            + events.size()
            + "), payments paid_out "
            + paidOut
            + " (expected "
            + payments
            + "), facts in the outbox "
            + facts
            + " (expected "
            + 2 * payments
            + ")");
    boolean exact = once == events.size() && paidOut == payments && facts == 2L * payments;
    return new Measured(events.size(), seconds, exact);
  }

  private static ProducerRecord<String, String> event(int payment, String action, Instant at) {
    String id = "EV" + action.substring(0, 2).toUpperCase() + String.format("%010d", payment);
    var links =
        new TreeMap<String, String>(
            Map.of("payment", paymentId(payment), "organisation", ORGANISATION));
    var routed =
        GoCardlessRecords.of(
            new GoCardlessEventFields(id, "payments", action, at.toString(), links));
    String body =
        """
        {"id":"%s","created_at":"%s","resource_type":"payments","action":"%s",
         "links":{"payment":"%s","organisation":"%s"},
         "details":{"origin":"gocardless","cause":"payment_%s","description":"bench"},"metadata":{}}
        """
            .formatted(id, at, action, paymentId(payment), ORGANISATION, action);
    var record = new ProducerRecord<String, String>(routed.topic(), routed.key(), body);
    header(record, EventHeaders.ID, routed.eventId());
    header(record, EventHeaders.EVENT_TYPE, routed.eventType());
    header(record, EventHeaders.ORGANISATION_ID, ORGANISATION);
    return record;
  }

  private static String paymentId(int i) {
    return "PM" + String.format("%012d", i);
  }

  static void header(ProducerRecord<String, String> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  static long waitFor(java.sql.Connection db, String sql, long expected, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (count(db, sql) >= expected) {
        return System.nanoTime();
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("Not reached within " + timeout + ": " + sql);
  }

  static long count(java.sql.Connection db, String sql) throws Exception {
    try (var statement = db.createStatement();
        var rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void say(String line) {
    System.out.println("[billing-bench] " + line);
  }
}
