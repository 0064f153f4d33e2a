package io.paybridge.platform.outbox;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;

/** A member of a consumer group that goes away without leaving it, as a killed process does. */
final class CrashedMember {

  /** What makes a consumer's close leave its group in place, as a killed process's does. */
  static final String STAYS_IN_GROUP = "internal.leave.group.on.close";

  private CrashedMember() {}

  /**
   * Subscribes {@code member} (made with {@link #STAYS_IN_GROUP} {@code false}) to {@code topic},
   * polls until it is assigned partitions, and closes it: the group keeps it as a member until its
   * session runs out.
   */
  static void joinAndVanish(Consumer<?, ?> member, String topic) {
    try (member) {
      member.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                member.poll(Duration.ofMillis(200));
                return !member.assignment().isEmpty();
              });
    }
  }
}
