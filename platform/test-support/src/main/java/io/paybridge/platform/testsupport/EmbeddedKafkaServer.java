package io.paybridge.platform.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Exit;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One embedded KRaft Kafka broker per JVM, started on first use and stopped after every Spring
 * application context of the JVM has been closed ({@link AfterSpringShutdown}).
 */
public final class EmbeddedKafkaServer {

  /** Partitions of a topic created on first use, as a small production topic would have. */
  public static final int DEFAULT_PARTITIONS = 3;

  private static volatile EmbeddedKafkaServer shared;

  private final EmbeddedKafkaKraftBroker broker;
  private final List<Runnable> afterStop;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafkaServer(EmbeddedKafkaKraftBroker broker, List<Runnable> afterStop) {
    this.broker = broker;
    this.afterStop = afterStop;
  }

  /**
   * The JVM's broker, started on first call on a free port (the KRaft test kit chooses its ports;
   * read the address from {@link #bootstrapServers()}).
   */
  public static synchronized EmbeddedKafkaServer shared() {
    if (shared == null) {
      shared = start();
      AfterSpringShutdown.register("embedded-kafka-stop", shared::close);
    }
    return shared;
  }

  /**
   * A broker of its own on a free port, which the caller stops with {@link #close()} (the local
   * stack, which stops it after the services that use it).
   */
  public static EmbeddedKafkaServer start() {
    var broker = new EmbeddedKafkaKraftBroker(1, DEFAULT_PARTITIONS);
    broker.brokerProperties(
        Map.of(
            "auto.create.topics.enable", "true",
            "num.partitions", String.valueOf(DEFAULT_PARTITIONS),
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0"));
    // Kafka's test kit deletes the broker's directories in JVM shutdown hooks of its own, which
    // ran while the broker was still stopping (ERRORs "Error while writing to checkpoint file" at
    // the end of every test JVM): they run after the broker's stop instead.
    var afterStop = new CopyOnWriteArrayList<Runnable>();
    synchronized (Exit.class) {
      Exit.setShutdownHookAdder((name, hook) -> afterStop.add(hook));
      try {
        broker.afterPropertiesSet();
      } finally {
        Exit.resetShutdownHookAdder();
      }
    }
    return new EmbeddedKafkaServer(broker, afterStop);
  }

  /** Stops the broker and deletes its directories (once: later calls do nothing). */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    broker.destroy();
    afterStop.forEach(Runnable::run);
  }

  /** {@code host:port} of the broker. */
  public String bootstrapServers() {
    return broker.getBrokersAsString();
  }

  /** Creates the topics that do not exist yet, with {@link #DEFAULT_PARTITIONS} partitions. */
  public void createTopics(String... topics) {
    var existing = broker.getTopics();
    for (String topic : topics) {
      if (!existing.contains(topic)) {
        broker.addTopicsWithResults(topic);
      }
    }
  }
}
