package io.paybridge.platform.outbox;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.jspecify.annotations.Nullable;

/**
 * A listener's consumer whose {@code close()} waits at most {@code
 * paybridge.consumer.close-timeout} for its requests to the group coordinator; everything else is
 * the consumer's own.
 *
 * <p>Why: Spring's listener container closes its consumer with Kafka's default, which waits up to
 * 30 s for every request still in flight to the coordinator. A consumer stopped while it joins its
 * group has one: the coordinator holds a join until every member has rejoined, and a member whose
 * process was killed never does, so the join is answered only when that member's session runs out
 * (45 s by default). A graceful stop right after a crashed instance's restart then waited the whole
 * 30 s (docs/reliability.md, scenario 10). What a shorter wait gives up is the coordinator's
 * answers: to the request to leave the group (Kafka sends it before it waits), so that at worst
 * this member too is dropped only when its session runs out; and to an offset commit still in
 * flight, whose records are then delivered again and absorbed by the {@link IdempotentConsumer}.
 *
 * <p>A static member ({@link StaticMembership}) is taken out of its group after its close ({@link
 * StaticMemberLeave}), which Kafka does not do for static members: a stopped instance's partitions
 * go to the group's other members at once rather than when its session runs out.
 */
final class BoundedConsumerClose implements InvocationHandler {

  private final Consumer<?, ?> consumer;
  private final Duration timeout;
  private final @Nullable StaticMemberLeave staticMemberLeave;

  private BoundedConsumerClose(
      Consumer<?, ?> consumer, Duration timeout, @Nullable StaticMemberLeave staticMemberLeave) {
    this.consumer = consumer;
    this.timeout = timeout;
    this.staticMemberLeave = staticMemberLeave;
  }

  /**
   * @param staticMemberLeave takes the consumer out of its group after its close when it is a
   *     static member; {@code null} where listeners are not static members
   */
  @SuppressWarnings("unchecked")
  static <K, V> Consumer<K, V> wrap(
      Consumer<K, V> consumer, Duration timeout, @Nullable StaticMemberLeave staticMemberLeave) {
    return (Consumer<K, V>)
        Proxy.newProxyInstance(
            Consumer.class.getClassLoader(),
            new Class<?>[] {Consumer.class},
            new BoundedConsumerClose(consumer, timeout, staticMemberLeave));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("close") && method.getParameterCount() == 0) {
      close();
      return null;
    }
    // The proxy is its own identity: delegated, proxy.equals(proxy) would be false.
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> consumer.toString();
      };
    }
    try {
      return method.invoke(consumer, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void close() {
    ConsumerGroupMetadata member = staticMemberLeave == null ? null : membership();
    consumer.close(CloseOptions.timeout(timeout));
    if (member != null && member.groupInstanceId().isPresent()) {
      staticMemberLeave.leave(member.groupId(), member.groupInstanceId().get(), timeout);
    }
  }

  /** Its group and static name; {@code null} for a consumer outside any group. */
  private @Nullable ConsumerGroupMetadata membership() {
    try {
      return consumer.groupMetadata();
    } catch (InvalidGroupIdException e) {
      return null;
    }
  }
}
