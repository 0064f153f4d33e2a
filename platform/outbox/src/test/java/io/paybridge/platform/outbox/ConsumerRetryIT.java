package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How a consumer treats failures ({@link RetryTestListener} on {@code test.retries}): transient
 * failures are retried until they pass, without dead-lettering and in partition order; poison is
 * dead-lettered at once; an ordinary exception after the configured retries. "Nothing else on the
 * dead-letter topic" is read to a known end: a marker written to each of its partitions last.
 */
@IntegrationTest
class ConsumerRetryIT {

  /** The listener's own exception (the plain class header names the container's wrapper). */
  private static final String DLT_EXCEPTION_CAUSE = "kafka_dlt-exception-cause-fqcn";

  private static final String DLT = RetryTestListener.TOPIC + ".outbox-test.dlt";
  private static final String DATABASE = EmbeddedPostgresServer.databaseNameFor("outbox-test");

  private static KafkaProducer<String, String> producer;

  @Autowired JdbcTemplate jdbc;
  @Autowired MeterRegistry meters;
  @Autowired ConsumerRetries retries;

  @Autowired
  @Qualifier("consumersHealthIndicator")
  HealthIndicator consumersHealth;

  @BeforeAll
  static void producer() {
    producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.shared().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer());
  }

  @AfterAll
  static void closeProducer() {
    producer.close();
  }

  @Test
  void appliesEveryEventOnceAndInOrderAfterTheDatabaseRefusedConnectionsForLongerThanRetriesOfABug()
      throws Exception {
    var control = new JdbcTemplate(EmbeddedPostgresServer.shared().dataSource("postgres"));
    String run = UUID.randomUUID().toString().substring(0, 8);
    double transientBefore = transientFailures();
    Map<String, List<String>> eventsByKey = new LinkedHashMap<>();
    try (var deadLetters = KafkaTestConsumer.fromNow(DLT)) {
      // A fail-over as the consumer sees it: its connections drop and new ones are refused.
      control.execute("alter database " + DATABASE + " allow_connections false");
      Instant outageStart = Instant.now();
      try {
        control.queryForList(
            "select pg_terminate_backend(pid) from pg_stat_activity"
                + " where datname = ? and application_name = 'outbox-test-app'",
            DATABASE);
        for (int i = 0; i < 4; i++) {
          for (String key : List.of(run + "-a", run + "-b", run + "-c")) {
            String eventId = UUID.randomUUID().toString();
            send(eventId, key, "apply");
            eventsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(eventId);
          }
        }
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> transientFailures() - transientBefore >= 3);
        // Stuck past the alert threshold (3 s in the tests): health says so, with the record.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> consumersHealth.health().getStatus().equals(Status.DOWN));
        assertThat(consumersHealth.health().getDetails().get("retrying").toString())
            .contains(RetryTestListener.TOPIC)
            .contains("TRANSIENT");
        // Keep the database away well past the whole retry window of a bug (2.6 s of back-off).
        long remaining =
            Duration.ofSeconds(10).minus(Duration.between(outageStart, Instant.now())).toMillis();
        if (remaining > 0) {
          Thread.sleep(remaining);
        }
      } finally {
        control.execute("alter database " + DATABASE + " allow_connections true");
      }

      List<String> all = eventsByKey.values().stream().flatMap(List::stream).toList();
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions() // the test's own pool reconnects too
          .until(() -> applied(all).size() == all.size());
      for (var entry : eventsByKey.entrySet()) {
        assertThat(
                jdbc.queryForList(
                    "select event_id from test_applications where record_key = ? order by id",
                    String.class,
                    entry.getKey()))
            .as("events of key %s applied once each, in offset order", entry.getKey())
            .containsExactlyElementsOf(entry.getValue());
      }
      assertThat(readToEnd(deadLetters)).noneMatch(r -> all.contains(r.header(EventHeaders.ID)));
    }
    assertThat(transientFailures() - transientBefore).isGreaterThanOrEqualTo(3);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> consumersHealth.health().getStatus().equals(Status.UP));
    assertThat(retries.retrying()).noneMatch(r -> r.topic().equals(RetryTestListener.TOPIC));
    assertThat(
            meters
                .get("paybridge.consumer.stuck.seconds")
                .tag("consumer", "outbox-test")
                .gauge()
                .value())
        .isZero();
  }

  /**
   * PostgreSQL stopped (fault harness scenario 3a) under a record being applied, again at each of
   * more attempts than a bug is retried: its session ends inside the transaction, the statement
   * fails on the dropped connection and the rollback fails too, on the connection the pool has
   * closed ({@code TransactionSystemException} overriding the connection failure). That is the
   * database failing, not the record: it must be retried until it passes, never dead-lettered, and
   * the records behind it, on every partition, applied once each and in order.
   */
  @Test
  void retriesARecordWhoseRollbackFailedOnALostConnectionUntilItPasses() throws Exception {
    var control = new JdbcTemplate(EmbeddedPostgresServer.shared().dataSource("postgres"));
    String run = UUID.randomUUID().toString().substring(0, 8);
    int outages = 5; // more than the first attempt and 3 retries of a bug
    RetryTestListener.HELD.clear();
    Map<String, List<String>> eventsByKey = new LinkedHashMap<>();
    try (var deadLetters = KafkaTestConsumer.fromNow(DLT)) {
      String held = UUID.randomUUID().toString();
      send(held, run + "-held", "hold:" + outages);
      eventsByKey.computeIfAbsent(run + "-held", k -> new ArrayList<>()).add(held);
      for (int i = 0; i < 5; i++) {
        for (int k = 0; k < 6; k++) {
          String key = run + "-" + k;
          String eventId = UUID.randomUUID().toString();
          send(eventId, key, "apply");
          eventsByKey.computeIfAbsent(key, x -> new ArrayList<>()).add(eventId);
        }
      }
      for (int outage = 0; outage < outages; outage++) {
        assertThat(RetryTestListener.HELD.poll(30, TimeUnit.SECONDS))
            .as("attempt %d held in its transaction", outage + 1)
            .isEqualTo(held);
        control.queryForList(
            "select pg_terminate_backend(pid) from pg_stat_activity"
                + " where datname = ? and application_name = 'outbox-test-app'",
            DATABASE);
        RetryTestListener.release();
      }

      List<String> all = eventsByKey.values().stream().flatMap(List::stream).toList();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions() // the test's own pool reconnects too
          .until(() -> applied(all).size() == all.size());
      assertThat(readToEnd(deadLetters)).noneMatch(r -> all.contains(r.header(EventHeaders.ID)));
      assertThat(RetryTestListener.attempts(held)).isEqualTo(outages + 1);
      for (var entry : eventsByKey.entrySet()) {
        assertThat(
                jdbc.queryForList(
                    "select event_id from test_applications where record_key = ? order by id",
                    String.class,
                    entry.getKey()))
            .as("events of key %s applied once each, in offset order", entry.getKey())
            .containsExactlyElementsOf(entry.getValue());
      }
    }
  }

  @Test
  void retriesARateLimitedHandlerPastTheRetriesOfABugAndAppliesItOnce() throws Exception {
    String key = "rate-limited-" + UUID.randomUUID();
    String eventId = UUID.randomUUID().toString();
    String next = UUID.randomUUID().toString();
    double transientBefore = transientFailures();
    try (var deadLetters = KafkaTestConsumer.fromNow(DLT)) {
      send(eventId, key, "transient:5"); // more failures than the 3 retries a bug gets
      send(next, key, "apply");

      await().atMost(Duration.ofSeconds(60)).until(() -> applied(List.of(next)).size() == 1);
      assertThat(RetryTestListener.attempts(eventId)).isEqualTo(6);
      assertThat(
              jdbc.queryForList(
                  "select event_id from test_applications where record_key = ? order by id",
                  String.class,
                  key))
          .containsExactly(eventId, next);
      assertThat(readToEnd(deadLetters)).noneMatch(r -> eventId.equals(r.header(EventHeaders.ID)));
    }
    assertThat(transientFailures() - transientBefore).isGreaterThanOrEqualTo(5);
  }

  @Test
  void deadLettersPoisonAtOnceAndGoesOnWithTheNextRecord() throws Exception {
    String key = "poison-" + UUID.randomUUID();
    String poison = UUID.randomUUID().toString();
    String next = UUID.randomUUID().toString();
    double before = deadLetters("poison");
    try (var deadLetters = KafkaTestConsumer.fromNow(DLT)) {
      send(poison, key, "poison");
      send(next, key, "apply");

      var parked = deadLetters.await(r -> poison.equals(r.header(EventHeaders.ID)));
      parked.hasKey(key).hasHeader(DLT_EXCEPTION_CAUSE, PoisonMessageException.class.getName());
      assertThat(parked.header(EventHeaders.DLT_EXCEPTION_MESSAGE)).contains("is not JSON");
      await().atMost(Duration.ofSeconds(30)).until(() -> applied(List.of(next)).size() == 1);
      assertThat(RetryTestListener.attempts(poison)).isEqualTo(1);
      assertThat(applied(List.of(poison))).isEmpty();
    }
    assertThat(deadLetters("poison") - before).isEqualTo(1);
  }

  @Test
  void retriesAnOrdinaryExceptionThreeTimesThenDeadLettersItWithTheError() throws Exception {
    String key = "bug-" + UUID.randomUUID();
    String bug = UUID.randomUUID().toString();
    String next = UUID.randomUUID().toString();
    double before = deadLetters("retries-exhausted");
    try (var deadLetters = KafkaTestConsumer.fromNow(DLT)) {
      send(bug, key, "bug");
      send(next, key, "apply");

      var parked = deadLetters.await(r -> bug.equals(r.header(EventHeaders.ID)));
      parked.hasKey(key).hasHeader(DLT_EXCEPTION_CAUSE, IllegalStateException.class.getName());
      assertThat(parked.value()).isEqualTo("bug");
      assertThat(parked.header(EventHeaders.DLT_EXCEPTION_MESSAGE))
          .contains("bug in the handler of " + bug);
      await().atMost(Duration.ofSeconds(30)).until(() -> applied(List.of(next)).size() == 1);
      assertThat(RetryTestListener.attempts(bug)).isEqualTo(4); // the first attempt and 3 retries
      assertThat(applied(List.of(bug))).isEmpty();
    }
    assertThat(deadLetters("retries-exhausted") - before).isEqualTo(1);
  }

  private List<String> applied(List<String> eventIds) {
    if (eventIds.isEmpty()) {
      return List.of();
    }
    return jdbc.queryForList(
        "select event_id from test_applications where event_id = any (?)",
        String.class,
        (Object) eventIds.toArray(String[]::new));
  }

  private double transientFailures() {
    Counter counter =
        meters
            .find("paybridge.consumer.transient.failures")
            .tag("consumer", "outbox-test")
            .tag("topic", RetryTestListener.TOPIC)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double deadLetters(String reason) {
    Counter counter =
        meters
            .find("paybridge.consumer.dead.letters")
            .tag("consumer", "outbox-test")
            .tag("topic", RetryTestListener.TOPIC)
            .tag("reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /** Everything on the dead-letter topic so far: reads until a marker sent to each partition. */
  private static List<KafkaTestConsumer.Received> readToEnd(KafkaTestConsumer deadLetters)
      throws Exception {
    String end = "end-" + UUID.randomUUID();
    int partitions = producer.partitionsFor(DLT).size();
    for (int partition = 0; partition < partitions; partition++) {
      var marker = new ProducerRecord<String, String>(DLT, partition, "end", "end");
      marker.headers().add(EventHeaders.ID, end.getBytes(StandardCharsets.UTF_8));
      producer.send(marker).get(10, TimeUnit.SECONDS);
    }
    deadLetters.awaitCount(
        r -> end.equals(r.header(EventHeaders.ID)), partitions, Duration.ofSeconds(30));
    return deadLetters.received();
  }

  private static void send(String eventId, String key, String value) throws Exception {
    var record = new ProducerRecord<>(RetryTestListener.TOPIC, key, value);
    record.headers().add(EventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
    producer.send(record).get(10, TimeUnit.SECONDS);
  }
}
