package io.paybridge.platform.outbox;

import static org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
import static org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.converter.MessageConverter;

/**
 * With {@code paybridge.consumer.instance-id} set, listeners are static members of their groups
 * ({@link StaticMembership}): a listener whose previous consumer vanished without leaving (as a
 * killed process's does) takes its partition back at once under the same name, and a listener
 * stopped gracefully still hands its partition over at once ({@link BoundedConsumerClose} leaves
 * the group). The vanished or stopped consumer has a 30 s session, so that without either the next
 * one would wait about 30 s; the tests allow 10.
 */
@IntegrationTest(properties = "paybridge.consumer.instance-id=static-membership-it")
class StaticMembershipIT {

  private static final Duration ALLOWED = Duration.ofSeconds(10);
  private static final String LONG_SESSION = "30000";

  @Autowired ConcurrentKafkaListenerContainerFactory<Object, Object> listeners;

  @Test
  void aListenerBackAfterItsConsumerVanishedTakesItsPartitionAtOnce() {
    String topic = "test.static-membership." + UUID.randomUUID();
    String group = "static-membership-" + UUID.randomUUID();
    EmbeddedKafkaServer.shared().createTopics(topic);

    var before = listener("payments-listener", group, topic);
    assertThat(
            before
                .getContainerProperties()
                .getKafkaConsumerProperties()
                .getProperty(GROUP_INSTANCE_ID_CONFIG))
        .as("its group.instance.id")
        .isEqualTo("static-membership-it-payments-listener");
    withConsumerProperty(before, SESSION_TIMEOUT_MS_CONFIG, LONG_SESSION);
    // Its consumer closes without leaving the group, as a killed process's never leaves.
    withConsumerProperty(before, CrashedMember.STAYS_IN_GROUP, "false");
    startAndAwaitAssignment(before, Duration.ofSeconds(30));
    before.stop();

    var after = listener("payments-listener", group, topic);
    try {
      var took = startAndAwaitAssignment(after, ALLOWED);
      System.out.printf(
          "StaticMembershipIT: the vanished member's partition back after %d ms%n",
          took.toMillis());
    } finally {
      after.stop();
    }
  }

  @Test
  void aStaticListenerStoppedGracefullyHandsItsPartitionOverAtOnce() {
    String topic = "test.static-membership." + UUID.randomUUID();
    String group = "static-membership-" + UUID.randomUUID();
    EmbeddedKafkaServer.shared().createTopics(topic);

    var stopped = listener("first-listener", group, topic);
    withConsumerProperty(stopped, SESSION_TIMEOUT_MS_CONFIG, LONG_SESSION);
    startAndAwaitAssignment(stopped, Duration.ofSeconds(30));
    stopped.stop();

    var next = listener("second-listener", group, topic);
    try {
      var took = startAndAwaitAssignment(next, ALLOWED);
      System.out.printf(
          "StaticMembershipIT: the stopped member's partition taken over after %d ms%n",
          took.toMillis());
    } finally {
      next.stop();
    }
  }

  private ConcurrentMessageListenerContainer<Object, Object> listener(
      String id, String group, String topic) {
    return listeners.createListenerContainer(
        new Endpoint(id, group, topic, (MessageListener<Object, Object>) r -> {}));
  }

  /** Sets a consumer property on this container alone (its properties' own copy). */
  private static void withConsumerProperty(
      ConcurrentMessageListenerContainer<Object, Object> container, String name, String value) {
    var settings = container.getContainerProperties();
    var consumer = new Properties(settings.getKafkaConsumerProperties());
    consumer.setProperty(name, value);
    settings.setKafkaConsumerProperties(consumer);
  }

  private static Duration startAndAwaitAssignment(
      ConcurrentMessageListenerContainer<Object, Object> container, Duration allowed) {
    long started = System.nanoTime();
    container.start();
    await()
        .atMost(allowed)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                container.getAssignedPartitions() != null
                    && !container.getAssignedPartitions().isEmpty());
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** A listener endpoint as a {@code @KafkaListener(id = …)} declares one. */
  private record Endpoint(String id, String group, String topic, MessageListener<?, ?> listener)
      implements KafkaListenerEndpoint {

    @Override
    public String getId() {
      return id;
    }

    @Override
    public String getGroupId() {
      return group;
    }

    @Override
    public String getGroup() {
      return null;
    }

    @Override
    public Collection<String> getTopics() {
      return List.of(topic);
    }

    @Override
    public TopicPartitionOffset[] getTopicPartitionsToAssign() {
      return null;
    }

    @Override
    public Pattern getTopicPattern() {
      return null;
    }

    @Override
    public String getClientIdPrefix() {
      return null;
    }

    @Override
    public Integer getConcurrency() {
      return null;
    }

    @Override
    public Boolean getAutoStartup() {
      return false;
    }

    @Override
    public void setupListenerContainer(
        MessageListenerContainer container, MessageConverter converter) {
      container.setupMessageListener(listener);
    }

    @Override
    public boolean isSplitIterables() {
      return true;
    }
  }
}
