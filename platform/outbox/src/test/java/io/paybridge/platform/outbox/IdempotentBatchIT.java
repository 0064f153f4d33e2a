package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.KafkaTestConsumer.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link IdempotentConsumer#applyBatch} through a real batch listener ({@link BatchTestListener}):
 * a poll's records applied in one transaction, duplicates inside the poll applied once, a poison
 * record dead-lettered alone, a failed commit re-applied without a doubled effect. Each test sends
 * its records with one key (one partition) in one producer batch, so that they reach the listener
 * in one poll, and checks that they did. Facts are read to a known end (a marker in the outbox).
 */
@IntegrationTest
class IdempotentBatchIT {

  private static final String DLT = BatchTestListener.TOPIC + ".outbox-test.dlt";

  @Autowired JdbcTemplate jdbc;

  @Test
  void appliesAnEventDeliveredSeveralTimesInOnePollOnceAndPublishesItsFactOnce() throws Exception {
    String key = "dup-" + UUID.randomUUID();
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    String c = UUID.randomUUID().toString();
    try (var facts = KafkaTestConsumer.fromNow(BatchTestListener.FACTS)) {
      send(key, List.of(a, b, a, c, b), Map.of());

      awaitEffects(a, b, c);
      assertThat(deliveredTogether(a, b, c)).isTrue();
      assertThat(effects(a)).isEqualTo(1);
      assertThat(effects(b)).isEqualTo(1);
      assertThat(effects(c)).isEqualTo(1);
      assertThat(factIds(facts, a, b, c))
          .containsExactlyInAnyOrder("applied-" + a, "applied-" + b, "applied-" + c);
    }
  }

  @Test
  void deadLettersAPoisonRecordOfABatchAloneAndAppliesItsNeighboursOnce() throws Exception {
    String key = "poison-" + UUID.randomUUID();
    String before = UUID.randomUUID().toString();
    String poison = UUID.randomUUID().toString();
    String after = UUID.randomUUID().toString();
    try (var facts = KafkaTestConsumer.fromNow(BatchTestListener.FACTS);
        var deadLetters = KafkaTestConsumer.fromNow(DLT)) {
      send(key, List.of(before, poison, after), Map.of(poison, "poison"));

      deadLetters.await(r -> poison.equals(r.header(EventHeaders.ID)), Duration.ofSeconds(60));
      awaitEffects(before, after);
      assertThat(deliveredTogether(before, poison, after)).isTrue();
      assertThat(effects(before)).isEqualTo(1);
      assertThat(effects(poison)).isZero();
      assertThat(effects(after)).isEqualTo(1);
      // `after` was applied after the poison record was parked: the topic's end now is a known end.
      var parked =
          deadLetters.readToEnd(
              r -> Set.of(before, poison, after).contains(r.header(EventHeaders.ID)),
              Duration.ofSeconds(30));
      assertThat(parked).extracting(r -> r.header(EventHeaders.ID)).containsExactly(poison);
      assertThat(factIds(facts, before, poison, after))
          .containsExactlyInAnyOrder("applied-" + before, "applied-" + after);
    }
  }

  @Test
  void reappliesABatchWhoseCommitFailedWithoutDoublingItsEffects() throws Exception {
    // The first two commits holding the crash record fail: the batch's, then the record's own when
    // the batch is applied one by one (retried as transient).
    jdbc.update("alter sequence test_commit_failures restart");
    jdbc.update("update test_commit_failures_limit set failures = 2");
    String key = "crash-" + UUID.randomUUID();
    String first = UUID.randomUUID().toString();
    String crash = "crash-" + UUID.randomUUID();
    String last = UUID.randomUUID().toString();
    try (var facts = KafkaTestConsumer.fromNow(BatchTestListener.FACTS)) {
      send(key, List.of(first, crash, last), Map.of());

      awaitEffects(first, crash, last);
      assertThat(deliveredTogether(first, crash, last)).isTrue();
      // The handler ran in transactions that were rolled back at commit...
      assertThat(jdbc.queryForObject("select last_value from test_commit_failures", Long.class))
          .isGreaterThanOrEqualTo(2);
      assertThat(BatchTestListener.handled(first)).isGreaterThanOrEqualTo(2);
      assertThat(BatchTestListener.handled(crash)).isGreaterThanOrEqualTo(2);
      // ...and each event's effects are there once.
      assertThat(effects(first)).isEqualTo(1);
      assertThat(effects(crash)).isEqualTo(1);
      assertThat(effects(last)).isEqualTo(1);
      assertThat(factIds(facts, first, crash, last))
          .containsExactlyInAnyOrder("applied-" + first, "applied-" + crash, "applied-" + last);
    } finally {
      jdbc.update("update test_commit_failures_limit set failures = 0");
    }
  }

  private List<String> factIds(KafkaTestConsumer facts, String... eventIds) {
    Set<String> ids =
        java.util.Arrays.stream(eventIds)
            .map(id -> "applied-" + id)
            .collect(java.util.stream.Collectors.toSet());
    return facts
        .readPastMarker(
            jdbc.getDataSource(),
            BatchTestListener.FACTS,
            r -> ids.contains(r.header(EventHeaders.ID)),
            Duration.ofSeconds(60))
        .stream()
        .map(Received::headers)
        .map(h -> h.get(EventHeaders.ID))
        .toList();
  }

  /** Whether the first poll that held any of the ids held all of them. */
  private static boolean deliveredTogether(String... eventIds) {
    return BatchTestListener.BATCHES.stream()
        .filter(batch -> batch.stream().anyMatch(List.of(eventIds)::contains))
        .findFirst()
        .map(batch -> batch.containsAll(List.of(eventIds)))
        .orElse(false);
  }

  private void awaitEffects(String... eventIds) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> java.util.Arrays.stream(eventIds).allMatch(id -> effects(id) > 0));
  }

  private int effects(String eventId) {
    return jdbc.queryForObject(
        "select count(*) from test_batch_effects where event_id = ?", Integer.class, eventId);
  }

  /** Sends the events with one key in one producer batch; values default to {@code apply}. */
  private static void send(String key, List<String> eventIds, Map<String, String> values)
      throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.shared().bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG,
                "1000"),
            new StringSerializer(),
            new StringSerializer())) {
      var sent =
          eventIds.stream()
              .map(
                  id -> {
                    var record =
                        new ProducerRecord<>(
                            BatchTestListener.TOPIC, key, values.getOrDefault(id, "apply"));
                    record.headers().add(EventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
                    return producer.send(record);
                  })
              .toList();
      producer.flush();
      for (var future : sent) {
        future.get(10, TimeUnit.SECONDS);
      }
    }
  }
}
