package io.paybridge.bench;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.gocardless.GoCardlessEventFields;
import io.paybridge.platform.events.gocardless.GoCardlessRecords;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.Machine;
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
 * facts per payment in the outbox.
 *
 * <p>{@code ./mvnw -pl bench -am package -DskipTests && java -cp ... BillingProjectionBenchmark
 * [payments]} — or {@code ./mvnw -Pbench-billing -pl bench -am package}.
 */
public final class BillingProjectionBenchmark {

  static final String SERVICE = "billing-service";
  static final String ORGANISATION = "OR0000BENCH001";
  static final String TEAM = "team-bench";

  public static void main(String[] args) throws Exception {
    int payments = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int status = 0;
    try {
      run(payments);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static void run(int payments) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    say("billing projection benchmark: " + payments + " payments, " + 3 * payments + " events");
    say(
        "machine: "
            + Machine.cpuModel()
            + ", "
            + Machine.cores()
            + " cores, "
            + Machine.memTotal()
            + ", load "
            + CpuSampler.loadAverage()
            + ", git "
            + Machine.gitCommit());
    var postgres = BenchPostgres.start("production");
    var kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(
        Topics.GOCARDLESS_PAYMENTS, Topics.MERCHANTS_CONNECTION, Topics.BILLING_PAYMENT);
    var issuer = new MockOAuth2Server();
    issuer.start();
    String issuerUri = issuer.issuerUrl("paybridge").toString();
    String jdbcUrl = postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(SERVICE));

    var extra = new LinkedHashMap<String, String>();
    extra.put("logging.level.io.paybridge", "warn");
    extra.put("paybridge.security.jwt.issuer-uri", issuerUri);
    // Never called: every payment is in the projection before its events.
    extra.put("paybridge.gocardless.base-url", "http://127.0.0.1:9/");
    extra.put("paybridge.gocardless.merchant-tokens-url", "http://127.0.0.1:9");
    extra.put(
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri", issuerUri + "/token");
    extra.put("spring.security.oauth2.client.registration.oauth-service.client-secret", "bench");
    int port = freePort();
    int managementPort = freePort();
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
    Runtime.getRuntime().addShutdownHook(new Thread(service::stop));
    service.awaitReady(Duration.ofMinutes(3));

    try (var producer =
            new KafkaProducer<>(
                Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, "5",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
                new StringSerializer(),
                new StringSerializer());
        var db =
            DriverManager.getConnection(
                jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)) {
      String merchantId = UUID.randomUUID().toString();
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
      waitFor(
          db,
          "select count(*) from merchant where id = '" + merchantId + "'",
          1,
          Duration.ofMinutes(1));

      say("seeding " + payments + " payments in the projection");
      Instant created = Instant.parse("2026-01-05T09:00:00Z");
      try (var insert =
          db.prepareStatement(
              """
              insert into payment (id, merchant_id, team, organisation_id, mandate_id, status, amount, currency,
                  view, created_at, updated_at, last_event_at)
              values (?, ?, ?, ?, 'MD0000BENCH001', 'pending_submission', 1000, 'GBP', ?::jsonb, ?, ?, null)
              """)) {
        for (int i = 0; i < payments; i++) {
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
        for (int i = 0; i < payments; i++) {
          events.add(event(i, actions[step], created.plusSeconds(60L * (step + 1))));
        }
      }
      say("publishing " + events.size() + " events");
      long start = System.nanoTime();
      for (var record : events) {
        producer.send(record);
      }
      producer.flush();
      long published = System.nanoTime();
      long applied =
          waitFor(
              db,
              "select count(*) from consumed_message where consumer = 'billing-service'",
              events.size(),
              Duration.ofMinutes(30));
      double seconds = (applied - start) / 1e9;
      long once =
          count(
              db,
              "select count(distinct event_id) from consumed_message where consumer = 'billing-service'");
      long paidOut = count(db, "select count(*) from payment where status = 'paid_out'");
      long facts =
          count(
              db,
              "select count(*) from outbox_event where type in ('PaymentConfirmed', 'PaymentPaidOut')");
      say(
          String.format(
              "published in %.2f s; applied %d events in %.2f s: %.0f events/s",
              (published - start) / 1e9, events.size(), seconds, events.size() / seconds));
      say(
          "distinct events applied "
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
    } finally {
      service.stop();
      issuer.shutdown();
    }
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

  private static void header(ProducerRecord<String, String> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static long waitFor(java.sql.Connection db, String sql, long expected, Duration timeout)
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

  private static long count(java.sql.Connection db, String sql) throws Exception {
    try (var statement = db.createStatement();
        var rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void say(String line) {
    System.out.println("[billing-bench] " + line);
  }
}
