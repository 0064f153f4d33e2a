package io.paybridge.platform.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a static member ({@link StaticMembership}) out of its group once its consumer has closed,
 * so that a gracefully stopped instance's partitions go to the group's other members at once.
 *
 * <p>Why not the consumer itself: Spring Kafka's container unsubscribes its consumer before it
 * closes it, and a static member's unsubscribe forgets its member id without leaving (Kafka keeps
 * static members through restarts by design), after which its close has nothing to leave with. The
 * coordinator then kept the member, and its partitions unread, until its session ran out ({@code
 * StaticMembershipIT}). The admin client's "remove members" request names the member by its {@code
 * group.instance.id}, which the closed consumer no longer needs. It removes whoever holds the name
 * at that moment: with two running instances of one name (a misconfiguration, which already fences
 * one of them) the stopping one also drops the other from the group, which then joins again.
 */
final class StaticMemberLeave implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StaticMemberLeave.class);

  private final Supplier<Map<String, Object>> adminConfig;
  private @Nullable Admin admin;
  private boolean closed;

  StaticMemberLeave(Supplier<Map<String, Object>> adminConfig) {
    this.adminConfig = adminConfig;
  }

  /** Removes {@code instanceId} from {@code group}, waiting at most {@code timeout}. */
  void leave(String group, String instanceId, Duration timeout) {
    Admin client = admin();
    if (client == null) {
      return;
    }
    try {
      client
          .removeMembersFromConsumerGroup(
              group,
              new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(instanceId)))
                  .timeoutMs((int) timeout.toMillis()))
          .all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Already gone (fenced by a successor, or its session ran out) or the broker unreachable:
      // then the coordinator drops it when its session runs out, as without this.
      log.info(
          "Static member {} of group {} not removed as it stopped: {}",
          instanceId,
          group,
          e.getCause() == null ? e.toString() : e.getCause().toString());
    }
  }

  private synchronized @Nullable Admin admin() {
    if (closed) {
      return null;
    }
    if (admin == null) {
      admin = Admin.create(adminConfig.get());
    }
    return admin;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (admin != null) {
      admin.close(Duration.ofSeconds(1));
      admin = null;
    }
  }
}
