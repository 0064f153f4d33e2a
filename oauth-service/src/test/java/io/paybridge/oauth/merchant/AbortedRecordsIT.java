package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The consumer reads committed records only: a record of an aborted transaction (what a relay
 * leaves behind when it crashes or is fenced before its commit) is never applied, while a committed
 * record behind it on the same partition is.
 */
class AbortedRecordsIT extends IntegrationHarness {

  @Test
  void aRecordOfAnAbortedTransactionIsNeverApplied() throws Exception {
    String merchantId = connectNewMerchant("team-a");
    String organisation = view("team-a", merchantId).get("organisationId").asString();

    try (var producer = transactionalProducer()) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(disconnect(organisation, "EV" + suffix())).get();
      producer.abortTransaction();

      // A committed record for the same organisation (same key, so the same partition, behind the
      // aborted one) that the consumer passes without changing anything: an action it ignores.
      producer.beginTransaction();
      RecordMetadata marker = producer.send(ignored(organisation, "EV" + suffix())).get();
      producer.commitTransaction();

      awaitCommittedPast(marker);
    }
    assertThat(view("team-a", merchantId).get("status").asString()).isEqualTo("connected");
  }

  /** Waits until the service's consumer group has committed an offset beyond {@code marker}. */
  private static void awaitCommittedPast(RecordMetadata marker) {
    var partition = new TopicPartition(marker.topic(), marker.partition());
    try (var admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.shared().bootstrapServers()))) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var committed =
                    admin
                        .listConsumerGroupOffsets("oauth-service")
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .get(partition);
                return committed != null && committed.offset() > marker.offset();
              });
    }
  }

  private static KafkaProducer<String, String> transactionalProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            EmbeddedKafkaServer.shared().bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "aborted-records-it-" + UUID.randomUUID()),
        new StringSerializer(),
        new StringSerializer());
  }

  /**
   * An {@code organisations.disconnected} event as GoCardless documents it, as ingest publishes it.
   */
  private static ProducerRecord<String, String> disconnect(String organisation, String eventId) {
    return record(organisation, eventId, "disconnected", "organisation_disconnected");
  }

  private static ProducerRecord<String, String> ignored(String organisation, String eventId) {
    return record(organisation, eventId, "updated", "organisation_updated");
  }

  private static ProducerRecord<String, String> record(
      String organisation, String eventId, String action, String cause) {
    String json =
        """
        {"id":"%s","created_at":"2030-01-01T00:00:00.000Z","resource_type":"organisations",\
        "action":"%s","links":{"organisation":"%s"},\
        "details":{"origin":"customer","cause":"%s"},"metadata":{}}"""
            .formatted(eventId, action, organisation, cause);
    var record =
        new ProducerRecord<String, String>(Topics.GOCARDLESS_ORGANISATIONS, organisation, json);
    record.headers().add(EventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(EventHeaders.EVENT_TYPE, ("organisations." + action).getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(EventHeaders.ORGANISATION_ID, organisation.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  private static String suffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
  }
}
