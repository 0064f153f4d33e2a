package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

/**
 * A listener's consumer runs on a platform thread in an application that runs on virtual threads,
 * as every service does ({@code spring.threads.virtual.enabled} in this module's test settings too,
 * with which Spring Boot alone would hand the consumer a virtual thread): {@link
 * ListenerConsumerThreads}.
 */
@IntegrationTest
class ListenerThreadsIT {

  @Autowired ConcurrentKafkaListenerContainerFactory<Object, Object> listeners;
  @Autowired KafkaTemplate<Object, Object> kafka;

  @Value("${spring.threads.virtual.enabled}")
  boolean virtualThreads;

  @Test
  void aListenersConsumerRunsOnAPlatformThread() throws Exception {
    assertThat(virtualThreads).as("the application runs on virtual threads").isTrue();
    String topic = "test.listener-threads." + UUID.randomUUID();
    EmbeddedKafkaServer.shared().createTopics(topic);
    var listenerThread = new CompletableFuture<Thread>();
    var container = listeners.createContainer(topic);
    container.getContainerProperties().setGroupId("listener-threads-" + UUID.randomUUID());
    container
        .getContainerProperties()
        .setMessageListener(
            (MessageListener<Object, Object>) r -> listenerThread.complete(Thread.currentThread()));
    container.start();
    try {
      kafka.send(topic, "key", "value").get(30, TimeUnit.SECONDS);
      Thread thread = listenerThread.get(60, TimeUnit.SECONDS);
      assertThat(thread.isVirtual()).as("%s is a virtual thread", thread).isFalse();
      assertThat(thread.getName()).startsWith(ListenerConsumerThreads.THREAD_NAME_PREFIX);
    } finally {
      container.stop();
    }
  }
}
