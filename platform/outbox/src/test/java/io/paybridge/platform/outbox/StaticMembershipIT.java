package io.paybridge.platform.outbox;

import static org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG;
import static org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
import static org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.converter.MessageConverter;

/**
 * With {@code paybridge.consumer.instance-id} set, listeners are static members of their groups
 * ({@link StaticMembership}): a listener whose predecessor under its name vanished without leaving
 * (as a killed process's consumer does) takes the partition at once, and a listener stopped
 * gracefully still hands its partition over at once ({@link StaticMemberLeave}). The vanished or
 * stopped consumer has a 30 s session, so that without either the next one would wait about 30 s;
 * the tests allow 10.
 */
@IntegrationTest(properties = "paybridge.consumer.instance-id=static-membership-it")
class StaticMembershipIT {

  private static final Duration ALLOWED = Duration.ofSeconds(10);
  private static final String LONG_SESSION = "30000";

  @Autowired ConcurrentKafkaListenerContainerFactory<Object, Object> listeners;
  @Autowired ConsumerFactory<Object, Object> consumers;

  /** Each test's own topic and group. */
  private final String topic = "test.static-membership." + UUID.randomUUID();

  private final String group = "static-membership-" + UUID.randomUUID();

  @BeforeEach
  void createTheTopic() {
    EmbeddedKafkaServer.shared().createTopics(topic);
  }

  @Test
  void aListenerBackAfterItsConsumerVanishedTakesItsPartitionAtOnce() {
    var listener = listener("payments-listener");
    String name =
        listener
            .getContainerProperties()
            .getKafkaConsumerProperties()
            .getProperty(GROUP_INSTANCE_ID_CONFIG);
    assertThat(name)
        .as("its group.instance.id")
        .isEqualTo("static-membership-it-payments-listener");

    // Its predecessor: a consumer under the name the listener's first consumer takes (Spring Kafka
    // appends -0), straight from Kafka's client (no close of ours that would remove it), that
    // joins, takes the partition and vanishes as a killed process does.
    var predecessor = new HashMap<>(consumers.getConfigurationProperties());
    predecessor.put(GROUP_ID_CONFIG, group);
    predecessor.put(GROUP_INSTANCE_ID_CONFIG, name + "-0");
    predecessor.put(SESSION_TIMEOUT_MS_CONFIG, LONG_SESSION);
    CrashedMember.joinAndVanish(new KafkaConsumer<>(predecessor), topic);

    takesThePartitionWithinTheAllowedTime(listener, "the vanished member's partition back");
  }

  @Test
  void aStaticListenerStoppedGracefullyHandsItsPartitionOverAtOnce() {
    var stopped = listener("first-listener");
    StaticMembership.setConsumerProperty(stopped, SESSION_TIMEOUT_MS_CONFIG, LONG_SESSION);
    startAndAwaitAssignment(stopped, Duration.ofSeconds(30));
    stopped.stop();

    takesThePartitionWithinTheAllowedTime(
        listener("second-listener"), "the stopped member's partition taken over");
  }

  private static void takesThePartitionWithinTheAllowedTime(
      ConcurrentMessageListenerContainer<Object, Object> next, String what) {
    try {
      var took = startAndAwaitAssignment(next, ALLOWED);
      System.out.printf("StaticMembershipIT: %s after %d ms%n", what, took.toMillis());
    } finally {
      next.stop();
    }
  }

  /** A listener of this test's group and topic, as {@code @KafkaListener(id = id)} declares one. */
  private ConcurrentMessageListenerContainer<Object, Object> listener(String id) {
    return listeners.createListenerContainer(
        new Endpoint(id, group, topic, (MessageListener<Object, Object>) r -> {}));
  }

  private static Duration startAndAwaitAssignment(
      ConcurrentMessageListenerContainer<Object, Object> container, Duration allowed) {
    long started = System.nanoTime();
    container.start();
    ListenerAssignment.awaitAssigned(container, allowed);
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
