package io.paybridge.platform.outbox;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;

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
 */
final class BoundedConsumerClose implements InvocationHandler {

  private final Consumer<?, ?> consumer;
  private final CloseOptions close;

  private BoundedConsumerClose(Consumer<?, ?> consumer, Duration timeout) {
    this.consumer = consumer;
    this.close = CloseOptions.timeout(timeout);
  }

  @SuppressWarnings("unchecked")
  static <K, V> Consumer<K, V> wrap(Consumer<K, V> consumer, Duration timeout) {
    return (Consumer<K, V>)
        Proxy.newProxyInstance(
            Consumer.class.getClassLoader(),
            new Class<?>[] {Consumer.class},
            new BoundedConsumerClose(consumer, timeout));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("close") && method.getParameterCount() == 0) {
      consumer.close(close);
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
}
