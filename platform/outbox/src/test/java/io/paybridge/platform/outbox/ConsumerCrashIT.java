package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.MessageListener;

/**
 * A listener's partitions move on soon after its process dies: a consumer made by the service's
 * consumer factory (so with every setting a listener gets) joins a group, takes its partition and
 * goes away without leaving the group, as a killed process does; a listener of the same group then
 * gets the partition once the dead member's session has run out. With Kafka's default session (45
 * s) it would wait at least 45 s; the test allows 30.
 */
@IntegrationTest
class ConsumerCrashIT {

  private static final Duration ALLOWED = Duration.ofSeconds(30);

  @Autowired ConsumerFactory<Object, Object> consumers;
  @Autowired ConcurrentKafkaListenerContainerFactory<Object, Object> listeners;

  @Test
  void aCrashedListenersPartitionGoesToTheNextMemberWithinThirtySeconds() {
    var kafka = EmbeddedKafkaServer.shared();
    String topic = "test.consumer-crash." + UUID.randomUUID();
    String group = "consumer-crash-" + UUID.randomUUID();
    kafka.createTopics(topic);

    var killed = new Properties();
    killed.put(CrashedMember.STAYS_IN_GROUP, false);
    CrashedMember.joinAndVanish(consumers.createConsumer(group, "crashed", null, killed), topic);
    long crashed = System.nanoTime();

    var container = listeners.createContainer(topic);
    container.getContainerProperties().setGroupId(group);
    container
        .getContainerProperties()
        .setMessageListener((MessageListener<Object, Object>) r -> {});
    container.start();
    try {
      ListenerAssignment.awaitAssigned(container, ALLOWED);
      var took = Duration.ofNanos(System.nanoTime() - crashed);
      System.out.printf(
          "ConsumerCrashIT: partition reassigned %d ms after the crash%n", took.toMillis());
      assertThat(took).as("from the crash to the listener's assignment").isLessThan(ALLOWED);
    } finally {
      container.stop();
    }
  }
}
