package io.paybridge.platform.outbox.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The platform's retention job on a real PostgreSQL, with a fixed clock: rows older than their
 * kind's period go (in batches), younger rows and rows the kind's condition keeps stay, a
 * configured period replaces the default, and each kind's removals are counted under its name.
 */
class RetentionJobIT {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final JdbcTemplate jdbc =
      new JdbcTemplate(EmbeddedPostgresServer.shared().dataSource("retention_job"));
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void tables() {
    jdbc.execute("drop table if exists attempt_log");
    jdbc.execute("drop table if exists kept_delivery");
    jdbc.execute("create table attempt_log (n int primary key, attempted_at timestamptz)");
    jdbc.execute(
        "create table kept_delivery (n int primary key, received_at timestamptz not null,"
            + " needed boolean not null)");
  }

  @Test
  void removesWhatIsOlderThanEachKindsPeriodAndCountsItByKind() {
    // 250 attempts 31 days old, 3 of 29 days, 2 without a time: 30 days keeps the last 5.
    insertAttempts(0, 250, NOW.minus(Duration.ofDays(31)));
    insertAttempts(250, 3, NOW.minus(Duration.ofDays(29)));
    jdbc.update("insert into attempt_log values (900, null), (901, null)");
    // Deliveries 10 days old, half of them still needed; one day old, not needed.
    for (int n = 0; n < 10; n++) {
      jdbc.update(
          "insert into kept_delivery values (?, ?, ?)",
          n,
          Timestamp.from(NOW.minus(Duration.ofDays(10))),
          n % 2 == 0);
    }
    jdbc.update(
        "insert into kept_delivery values (50, ?, false)",
        Timestamp.from(NOW.minus(Duration.ofDays(1))));

    var job =
        new RetentionJob(
            List.of(
                new TableRetention(
                    "attempts",
                    Duration.ofDays(30),
                    jdbc,
                    "attempt_log",
                    "attempted_at",
                    null,
                    100),
                new TableRetention(
                    "deliveries",
                    Duration.ofDays(365),
                    jdbc,
                    "kept_delivery",
                    "received_at",
                    "not r.needed",
                    100)),
            // The configured 7 days replaces the deliveries' default of a year.
            new RetentionProperties(
                true,
                Duration.ofHours(1),
                Duration.ZERO,
                Map.of("deliveries", Duration.ofDays(7)),
                100),
            CLOCK,
            meters);

    assertThat(job.periods())
        .containsExactly(
            Map.entry("attempts", Duration.ofDays(30)),
            Map.entry("deliveries", Duration.ofDays(7)));
    assertThat(job.run()).containsExactly(Map.entry("attempts", 250L), Map.entry("deliveries", 5L));

    assertThat(jdbc.queryForList("select n from attempt_log order by n", Integer.class))
        .containsExactly(250, 251, 252, 900, 901);
    assertThat(jdbc.queryForList("select n from kept_delivery order by n", Integer.class))
        .as("needed deliveries and young ones stay")
        .containsExactly(0, 2, 4, 6, 8, 50);
    assertThat(deleted("attempts")).isEqualTo(250.0);
    assertThat(deleted("deliveries")).isEqualTo(5.0);

    // A second run finds nothing more, and the counters stay.
    assertThat(job.run()).containsExactly(Map.entry("attempts", 0L), Map.entry("deliveries", 0L));
    assertThat(deleted("attempts")).isEqualTo(250.0);
  }

  @Test
  void aFailingKindIsCountedAndDoesNotStopTheOthers() {
    insertAttempts(0, 3, NOW.minus(Duration.ofDays(31)));
    var job =
        new RetentionJob(
            List.of(
                new TableRetention(
                    "missing-table", Duration.ofDays(1), jdbc, "no_such_table", "at", null, 10),
                new TableRetention(
                    "attempts",
                    Duration.ofDays(30),
                    jdbc,
                    "attempt_log",
                    "attempted_at",
                    null,
                    10)),
            new RetentionProperties(true, Duration.ofHours(1), Duration.ZERO, null, 10),
            CLOCK,
            meters);

    assertThat(job.run()).containsExactly(Map.entry("attempts", 3L));
    assertThat(
            meters
                .get("paybridge.retention.failures")
                .tag("kind", "missing-table")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void aPeriodConfiguredForAKindTheServiceDoesNotHaveIsRefusedAtStart() {
    var attempts =
        new TableRetention(
            "attempts", Duration.ofDays(30), jdbc, "attempt_log", "attempted_at", null, 10);
    assertThatThrownBy(
            () ->
                new RetentionJob(
                    List.of(attempts),
                    new RetentionProperties(
                        true,
                        Duration.ofHours(1),
                        Duration.ZERO,
                        Map.of("attempt", Duration.ofDays(1)),
                        10),
                    CLOCK,
                    meters))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("[attempt]");
  }

  private void insertAttempts(int first, int count, Instant at) {
    jdbc.update(
        "insert into attempt_log select g, ? from generate_series(?, ?) g",
        Timestamp.from(at),
        first,
        first + count - 1);
  }

  private double deleted(String kind) {
    return meters.get("paybridge.retention.deleted").tag("kind", kind).counter().count();
  }
}
