package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.consumerhost.ConsumerHostMain;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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

  @Autowired JdbcTemplate jdbc;

  @Value("${spring.datasource.url}")
  String jdbcUrl;

  @Test
  void anEventCommittedBeforeTheKillIsRedeliveredAndNotAppliedAgain() throws Exception {
    String event = "crash-" + UUID.randomUUID();
    String marker = "marker-" + UUID.randomUUID();
    String key = "ORD-" + UUID.randomUUID(); // one key: one partition, the marker after the event
    var first =
        ConsumerHost.start(jdbcUrl, log(event, "first"), shortSession("--hang-after=" + event));
    try {
      send(event, key, "7");
      assertThat(first.awaitLine("APPLIED " + event)).as("applied by the first process").isTrue();
      assertThat(ledgerRows(event)).as("committed in the database before the kill").isEqualTo(1);
    } finally {
      first.kill();
    }

    var second = ConsumerHost.start(jdbcUrl, log(event, "second"), shortSession());
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

  /**
   * The killed member's partitions go to the next one after 6 s, not the default 45 s (a dynamic
   * member: no instance id).
   */
  private static List<String> shortSession(String... more) {
    var arguments =
        new ArrayList<>(
            List.of(
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000"));
    arguments.addAll(List.of(more));
    return arguments;
  }

  private static Path log(String event, String which) {
    return Path.of("target", "consumer-host-" + event + "-" + which + ".log");
  }

  private int ledgerRows(String eventId) {
    return jdbc.queryForObject(
        "select count(*) from test_ledger where event_id = ?", Integer.class, eventId);
  }

  private static void send(String eventId, String key, String value) throws Exception {
    TestEvents.send(ConsumerHostMain.TOPIC, null, eventId, key, value, null);
  }
}
