package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.consumerhost.ConsumerHostMain;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A consumer process is killed with SIGKILL after its transaction (the event's effect and its
 * {@code consumed_message} row) committed and before the record's offset was committed on Kafka.
 * The next consumer of the group is handed the same record again; the stored event id absorbs it,
 * so the effect, an appended row that a second application would double, stays single.
 */
@IntegrationTest
class ConsumerProcessKillIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  @Autowired JdbcTemplate jdbc;

  @Value("${spring.datasource.url}")
  String jdbcUrl;

  @Test
  void anEventCommittedBeforeTheKillIsRedeliveredAndNotAppliedAgain() throws Exception {
    String event = "crash-" + UUID.randomUUID();
    String marker = "marker-" + UUID.randomUUID();
    String key = "ORD-" + UUID.randomUUID(); // one key: one partition, the marker after the event
    var first = ConsumerHost.start(jdbcUrl, event, log(event, "first"));
    try {
      send(event, key, "7");
      assertThat(first.awaitLine("APPLIED " + event)).as("applied by the first process").isTrue();
      assertThat(ledgerRows(event)).as("committed in the database before the kill").isEqualTo(1);
    } finally {
      first.kill();
    }

    var second = ConsumerHost.start(jdbcUrl, "", log(event, "second"));
    try {
      send(marker, key, "1");
      assertThat(second.awaitLine("APPLIED " + marker)).as("the marker applied").isTrue();
      assertThat(second.lines())
          .as("the killed process's record came back before the marker, and was absorbed")
          .containsSubsequence("DUPLICATE " + event, "APPLIED " + marker)
          .doesNotContain("APPLIED " + event);
    } finally {
      second.kill();
    }
    assertThat(ledgerRows(event)).as("the effect applied once").isEqualTo(1);
  }

  private static Path log(String event, String which) {
    return Path.of("target", "consumer-host-" + event + "-" + which + ".log");
  }

  private int ledgerRows(String eventId) {
    return jdbc.queryForObject(
        "select count(*) from test_ledger where event_id = ?", Integer.class, eventId);
  }

  private static void send(String eventId, String key, String value) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.shared().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      var record = new ProducerRecord<>(ConsumerHostMain.TOPIC, key, value);
      record.headers().add(EventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get(10, TimeUnit.SECONDS);
    }
  }

  /** A {@link ConsumerHostMain} process whose output lines are read as they come. */
  private record ConsumerHost(Process process, BlockingQueue<String> queue, List<String> seen) {

    static ConsumerHost start(String jdbcUrl, String hangAfter, Path log) throws IOException {
      Files.createDirectories(log.getParent());
      var command = new ArrayList<String>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ConsumerHostMain.class.getName());
      command.add("--spring.datasource.url=" + jdbcUrl);
      command.add("--spring.datasource.username=" + EmbeddedPostgresServer.USER);
      command.add("--spring.datasource.password=" + EmbeddedPostgresServer.PASSWORD);
      command.add(
          "--spring.kafka.bootstrap-servers=" + EmbeddedKafkaServer.shared().bootstrapServers());
      command.add("--spring.kafka.consumer.auto-offset-reset=earliest");
      // The killed member's partitions go to the next one after this, not the default 45 s.
      command.add("--spring.kafka.consumer.properties.session.timeout.ms=6000");
      command.add("--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");
      command.add("--paybridge.outbox.relay-enabled=false");
      command.add("--spring.main.banner-mode=off");
      command.add("--spring.main.web-application-type=none");
      command.add("--hang-after=" + hangAfter);
      var process = new ProcessBuilder(command).redirectErrorStream(true).start();
      var host = new ConsumerHost(process, new LinkedBlockingQueue<>(), new ArrayList<>());
      Thread.ofVirtual()
          .start(
              () -> {
                try (var out =
                        new BufferedReader(
                            new InputStreamReader(
                                process.getInputStream(), StandardCharsets.UTF_8));
                    var file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                  for (String line; (line = out.readLine()) != null; ) {
                    file.write(line);
                    file.newLine();
                    file.flush();
                    host.queue.add(line);
                  }
                } catch (IOException e) {
                  // the process was killed: its output ends
                }
              });
      return host;
    }

    /** Reads output until {@code line} arrives (true) or the process ends or the wait runs out. */
    boolean awaitLine(String line) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        String next = queue.poll(1, TimeUnit.SECONDS);
        if (next != null) {
          seen.add(next);
          if (next.equals(line)) {
            return true;
          }
        } else if (!process.isAlive()) {
          return false;
        }
      }
      return false;
    }

    List<String> lines() {
      return List.copyOf(seen);
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no offset commit on the way out
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
