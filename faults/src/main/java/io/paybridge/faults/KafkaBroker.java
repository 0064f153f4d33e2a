package io.paybridge.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The broker JVM ({@link KafkaBrokerMain}) started from the harness's own class path, logging to a
 * file. {@link #stop()} sends SIGTERM (a controlled shutdown), {@link #start()} brings it back on
 * the same port with the same data.
 */
final class KafkaBroker implements AutoCloseable {

  private final int port;
  private final int controllerPort;
  private final Path data;
  private final Path logDirectory;
  private int starts;
  private Process process;

  KafkaBroker(int port, int controllerPort, Path data, Path logDirectory) {
    this.port = port;
    this.controllerPort = controllerPort;
    this.data = data;
    this.logDirectory = logDirectory;
  }

  String bootstrapServers() {
    return "localhost:" + port;
  }

  long pid() {
    return process.pid();
  }

  void start() throws IOException, InterruptedException {
    Files.createDirectories(logDirectory);
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-Duser.timezone=UTC"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(KafkaBrokerMain.class.getName());
    command.addAll(List.of(String.valueOf(port), String.valueOf(controllerPort), data.toString()));
    Path log = logDirectory.resolve("kafka-broker-" + (++starts) + ".log");
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    awaitReady(log);
  }

  /** Until the broker answers a metadata request (the controller elected itself, topics load). */
  private void awaitReady(Path log) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    try (var admin = admin()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("Kafka broker exited; see " + log);
        }
        try {
          admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          Thread.sleep(250);
        }
      }
    }
    throw new IllegalStateException("Kafka broker not ready within 2 minutes; see " + log);
  }

  void createTopics(List<String> topics) throws Exception {
    try (var admin = admin()) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      var missing =
          topics.stream()
              .filter(t -> !existing.contains(t))
              .map(t -> new NewTopic(t, 3, (short) 1))
              .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Commits {@code group}'s offsets at the current ends of {@code topics}' partitions where it has
   * none yet, so that the group, started later, reads only what is published from now on. The group
   * must have no members.
   */
  void startGroupAtEnd(String group, List<String> topics) throws Exception {
    try (var admin = admin()) {
      var partitions = new ArrayList<TopicPartition>();
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (topic, description) ->
                  description
                      .partitions()
                      .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
      var committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      var latest = new HashMap<TopicPartition, OffsetSpec>();
      partitions.stream()
          .filter(p -> committed.get(p) == null)
          .forEach(p -> latest.put(p, OffsetSpec.latest()));
      if (latest.isEmpty()) {
        return;
      }
      var ends = new HashMap<TopicPartition, OffsetAndMetadata>();
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((p, end) -> ends.put(p, new OffsetAndMetadata(end.offset())));
      admin.alterConsumerGroupOffsets(group, ends).all().get(30, TimeUnit.SECONDS);
    }
  }

  Admin admin() {
    var properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(properties);
  }

  /** SIGTERM and wait: the broker's controlled shutdown. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
