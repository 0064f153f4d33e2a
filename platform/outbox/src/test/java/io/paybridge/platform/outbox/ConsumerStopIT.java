package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.MessageListener;

/**
 * A listener stopped while its group waits for a crashed member stops without waiting for that
 * member's session to run out ({@link BoundedConsumerClose}). The crashed member: a consumer of the
 * group that goes away without leaving it (as a killed process does), with a 25 s session: long
 * enough for the test's steps before the stop on a loaded machine, and shorter than the 30 s that
 * Kafka's own close waits, so that Kafka's close would outlast it. Kafka's own close would wait for
 * the listener's pending join, which the coordinator answers only once that session has run out; so
 * "the group still waits for the crashed member when the listener has stopped" fails without the
 * bounded close.
 */
@IntegrationTest
class ConsumerStopIT {

  private static final Duration CRASHED_MEMBERS_SESSION = Duration.ofSeconds(25);

  @Autowired ConcurrentKafkaListenerContainerFactory<Object, Object> listeners;

  @Test
  void aListenerStoppedWhileItsGroupWaitsForACrashedMemberStopsBeforeThatMembersSessionEnds()
      throws Exception {
    var kafka = EmbeddedKafkaServer.shared();
    String topic = "test.consumer-stop." + UUID.randomUUID();
    String group = "consumer-stop-" + UUID.randomUUID();
    kafka.createTopics(topic);
    crashedMember(kafka, topic, group);

    var container = listeners.createContainer(topic);
    container.getContainerProperties().setGroupId(group);
    container
        .getContainerProperties()
        .setMessageListener((MessageListener<Object, Object>) r -> {});
    container.start();
    try (var admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      // The listener's join is held: the coordinator waits for the crashed member to rejoin.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> state(admin, group) == GroupState.PREPARING_REBALANCE);

      var stopped = new CountDownLatch(1);
      container.stop(stopped::countDown);
      assertThat(stopped.await(2, TimeUnit.MINUTES)).as("the container stopped").isTrue();

      assertThat(state(admin, group))
          .as("the group when the listener had stopped")
          .isEqualTo(GroupState.PREPARING_REBALANCE);
    }
  }

  /** Joins {@code group} and goes away without leaving it, as a killed process does. */
  private static void crashedMember(EmbeddedKafkaServer kafka, String topic, String group) {
    CrashedMember.joinAndVanish(
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                (int) CRASHED_MEMBERS_SESSION.toMillis(),
                CrashedMember.STAYS_IN_GROUP,
                false),
            new StringDeserializer(),
            new StringDeserializer()),
        topic);
  }

  private static GroupState state(Admin admin, String group) throws Exception {
    return admin
        .describeConsumerGroups(List.of(group))
        .describedGroups()
        .get(group)
        .get(10, TimeUnit.SECONDS)
        .groupState();
  }
}
