package io.paybridge.platform.outbox;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.springframework.kafka.listener.MessageListenerContainer;

/** Waiting for a listener container to be assigned partitions by its group. */
final class ListenerAssignment {

  private ListenerAssignment() {}

  /** Waits until {@code container} holds at least one partition; fails after {@code allowed}. */
  static void awaitAssigned(MessageListenerContainer container, Duration allowed) {
    await()
        .atMost(allowed)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                container.getAssignedPartitions() != null
                    && !container.getAssignedPartitions().isEmpty());
  }
}
