package io.paybridge.platform.outbox;

import static org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;

import java.util.Properties;
import java.util.regex.Pattern;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Makes every listener a static member of its consumer group, named after the instance ({@code
 * paybridge.consumer.instance-id}) and the listener: {@code group.instance.id} = {@code
 * <instance-id>-<listener id>} ({@link #memberName}), to which Spring Kafka appends each consumer's
 * index ({@code -0}, {@code -1} with concurrency).
 *
 * <p>Why: a killed instance's members stay in their groups until their sessions run out (10 s,
 * {@link OutboxAutoConfiguration#CRASHED_MEMBER_SESSION}), and a restarted instance's dynamic
 * members are held in the join meanwhile: an instance killed again within those seconds kept its
 * group from consuming at all (docs/reliability.md, scenario 7). A static member that comes back
 * under its name takes the dead member's place and partitions at once. A graceful stop still hands
 * the partitions over at once: its members are removed from their groups after their consumers
 * close ({@link StaticMemberLeave}), which Kafka does not do for static members.
 *
 * <p>Only containers with a listener id (every {@code @KafkaListener}'s) become static members; a
 * listener whose consumer properties already name a {@code group.instance.id} keeps it. Spring Boot
 * applies a {@code ContainerCustomizer} only when it is the only one: a service that defines its
 * own turns this one off (and its own is then ignored too).
 */
final class StaticMembership
    implements ContainerCustomizer<
        Object, Object, ConcurrentMessageListenerContainer<Object, Object>> {

  private static final String GENERATED_LISTENER_ID =
      "org.springframework.kafka.KafkaListenerEndpointContainer#";

  private static final Pattern NOT_IN_A_MEMBER_NAME = Pattern.compile("[^A-Za-z0-9._-]");

  private final String instanceId;

  StaticMembership(String instanceId) {
    this.instanceId = instanceId;
  }

  @Override
  public void configure(ConcurrentMessageListenerContainer<Object, Object> container) {
    String listener = container.getListenerId();
    var consumer = container.getContainerProperties().getKafkaConsumerProperties();
    if (listener == null || consumer.getProperty(GROUP_INSTANCE_ID_CONFIG) != null) {
      return;
    }
    setConsumerProperty(container, GROUP_INSTANCE_ID_CONFIG, memberName(instanceId, listener));
  }

  /**
   * Sets a Kafka consumer property on {@code container} alone: the factory's consumer properties
   * object is shared by all its containers, so the container gets a copy with the factory's as its
   * defaults.
   */
  static void setConsumerProperty(MessageListenerContainer container, String name, String value) {
    var settings = container.getContainerProperties();
    var consumer = new Properties(settings.getKafkaConsumerProperties());
    consumer.setProperty(name, value);
    settings.setKafkaConsumerProperties(consumer);
  }

  /**
   * {@code <instance-id>-<listener id>} in the characters Kafka accepts in a {@code
   * group.instance.id} (ASCII letters and digits, {@code .}, {@code _}, {@code -}; others become
   * {@code _}), Spring's generated listener ids ({@code
   * org.springframework.kafka.KafkaListenerEndpointContainer#N}, numbered in the order the
   * listeners are declared) shortened to {@code listener-N}.
   */
  static String memberName(String instanceId, String listenerId) {
    String listener =
        listenerId.startsWith(GENERATED_LISTENER_ID)
            ? "listener-" + listenerId.substring(GENERATED_LISTENER_ID.length())
            : listenerId;
    return NOT_IN_A_MEMBER_NAME.matcher(instanceId + "-" + listener).replaceAll("_");
  }
}
