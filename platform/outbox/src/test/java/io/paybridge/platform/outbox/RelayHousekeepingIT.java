package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The relay's housekeeping: the retention job bounds the kept outbox without publishing anything;
 * the heartbeat keeps a quiet service database's slot following a busy cluster's WAL without
 * producing records; the relay's connections carry the settings that bound a takeover.
 */
class RelayHousekeepingIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void theRetentionJobDeletesKeptRowsAndPublishesNothing() {
    try (var fixture = new RelayFixture("retention");
        var consumer = KafkaTestConsumer.fromNow(fixture.topic)) {
      var relay = fixture.relay(EmbeddedKafkaServer.shared().bootstrapServers());
      relay.start();
      String run = UUID.randomUUID().toString();
      fixture.commit(run + "-0", 250);
      await().atMost(WAIT).until(() -> relay.status().relayed() >= 250);
      assertThat(count(fixture)).as("rows are kept").isEqualTo(250);

      var meters = new SimpleMeterRegistry();
      var retention = new OutboxRetention(fixture.jdbc, fixture.properties, meters);
      assertThat(retention.deleteExpired()).as("nothing is older than 7 days").isZero();
      fixture.commit(run + "-1", 10);
      await().atMost(WAIT).until(() -> placements(fixture, run) == 260);
      Instant cutoff =
          fixture
              .jdbc
              .queryForObject(
                  "select max(created_at) + interval '1 microsecond' from outbox_event",
                  java.sql.Timestamp.class)
              .toInstant();
      // 260 rows in batches of 100 (the fixture's retention-batch-size): three statements.
      assertThat(retention.deleteCreatedBefore(cutoff)).isEqualTo(260);
      assertThat(count(fixture)).isZero();
      assertThat(placements(fixture, run)).as("each row's Kafka placement goes with it").isZero();
      assertThat(meters.get("paybridge.outbox.retention.deleted").counter().count())
          .isEqualTo(260.0);

      var once = ExactlyOnceRelayIT.readAfterMarker(fixture, consumer, run);
      var ids = new java.util.ArrayList<String>();
      java.util.stream.IntStream.range(0, 250).forEach(i -> ids.add(run + "-0-" + i));
      java.util.stream.IntStream.range(0, 10).forEach(i -> ids.add(run + "-1-" + i));
      assertThat(ExactlyOnceRelayIT.countById(once, run))
          .as("the deletes publish nothing: each event once")
          .containsOnlyKeys(ids)
          .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
    }
  }

  @Test
  void theHeartbeatMovesAQuietDatabasesSlotAlongTheClustersWalWithoutRecords() {
    try (var fixture = new RelayFixture("heartbeat");
        var consumer = KafkaTestConsumer.fromNow(fixture.topic)) {
      var relay = fixture.relay(EmbeddedKafkaServer.shared().bootstrapServers());
      relay.start();
      String run = UUID.randomUUID().toString();
      fixture.commit(run + "-0", 5);
      await().atMost(WAIT).until(() -> relay.status().relayed() >= 5);

      // Another database of the cluster is busy; this service's outbox is quiet.
      var busy =
          new JdbcTemplate(
              EmbeddedPostgresServer.shared()
                  .dataSource(EmbeddedPostgresServer.databaseNameFor("outbox-heartbeat-busy")));
      busy.execute("create table if not exists churn (n int, filler text)");
      for (int i = 0; i < 5; i++) {
        busy.update("insert into churn select g, repeat('x', 200) from generate_series(1, 5000) g");
      }
      long busyEnd =
          fixture.jdbc.queryForObject(
              "select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint", Long.class);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  fixture.jdbc.queryForObject(
                          "select pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint"
                              + " from pg_replication_slots where slot_name = ?",
                          Long.class,
                          fixture.properties.slotName())
                      >= busyEnd);
      assertThat(
              fixture.jdbc.queryForObject("select count(*) from outbox_heartbeat", Integer.class))
          .as("the heartbeat table keeps one row")
          .isLessThanOrEqualTo(1);
      var once = ExactlyOnceRelayIT.readAfterMarker(fixture, consumer, run);
      assertThat(once).as("heartbeats produce no records").hasSize(5);
      assertThat(relay.status().relayed()).isEqualTo(6); // the 5 events and the marker
    }
  }

  @Test
  void theRelaysConnectionsBoundHowLongADeadHostHoldsTheLockAndTheSlot() throws Exception {
    try (var fixture = new RelayFixture("keepalive")) {
      var endpoint = fixture.endpoint(Duration.ofSeconds(30));
      try (var connection = endpoint.open();
          var statement = connection.createStatement()) {
        assertKeepalives(statement);
        assertThat(setting(statement, "tcp_user_timeout")).isEqualTo("30000");
      }
      var config = fixture.relay(EmbeddedKafkaServer.shared().bootstrapServers()).debeziumConfig();
      assertThat(config.getProperty("driver.options"))
          .isEqualTo(fixture.endpoint().replicationServerOptions());
      // A replication session opened with those options, as Debezium opens its own: the same
      // keepalives, wal_sender_timeout, and the server's default tcp_user_timeout (0: none), which
      // ended live sessions whose relay read slowly.
      try (var connection =
              replicationSession(fixture.jdbcUrl, config.getProperty("driver.options"));
          var statement = connection.createStatement()) {
        assertKeepalives(statement);
        assertThat(setting(statement, "wal_sender_timeout")).isEqualTo("30000");
        assertThat(setting(statement, "tcp_user_timeout")).isEqualTo("0");
      }
      assertThat(config.getProperty("database.tcpKeepAlive")).isEqualTo("true");
      assertThat(config.getProperty("lsn.flush.mode")).isEqualTo("connector");
      assertThat(config.getProperty("heartbeat.action.query"))
          .isEqualTo(OutboxRelay.HEARTBEAT_ACTION_QUERY);
    }
  }

  /**
   * The replication session has no {@code tcp_user_timeout}: what ends it when its relay stops
   * answering (a hung or vanished host) is {@code wal_sender_timeout}, also while the walsender's
   * own sends are blocked. A client here takes the replication stream with the relay's session
   * settings and a 3 s timeout, then neither reads nor replies while a large transaction is
   * streamed to it; the server must end the session before its own default (10 s in the tests'
   * server) would.
   */
  @Test
  void theServerEndsTheReplicationSessionOfARelayThatStopsAnswering() throws Exception {
    try (var fixture = new RelayFixture("silent")) {
      var endpoint = fixture.endpoint(Duration.ofSeconds(3));
      fixture.jdbc.execute("create publication silent_relay for table outbox_heartbeat");
      try (var connection =
          replicationSession(fixture.jdbcUrl, endpoint.replicationServerOptions())) {
        var replication = connection.unwrap(PGConnection.class).getReplicationAPI();
        replication
            .createReplicationSlot()
            .logical()
            .withSlotName("silent_relay")
            .withOutputPlugin("pgoutput")
            .withTemporaryOption()
            .make();
        replication
            .replicationStream()
            .logical()
            .withSlotName("silent_relay")
            .withSlotOption("proto_version", 1)
            .withSlotOption("publication_names", "silent_relay")
            .withStatusInterval(1, TimeUnit.HOURS)
            .start();
        Integer walsender =
            fixture.jdbc.queryForObject(
                "select active_pid from pg_replication_slots where slot_name = 'silent_relay'",
                Integer.class);
        assertThat(walsender).as("the walsender streaming to the silent client").isNotNull();
        long started = System.nanoTime();
        // Megabytes of changes for it to send, more than the sockets' buffers hold: its sends
        // block.
        fixture.jdbc.update(
            "insert into outbox_heartbeat (beat_at) select clock_timestamp()"
                + " from generate_series(1, 300000)");
        await()
            .atMost(Duration.ofSeconds(8))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    fixture.jdbc.queryForObject(
                            "select count(*) from pg_stat_replication where pid = ?",
                            Integer.class,
                            walsender)
                        == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .as("ended by the session's 3 s timeout, not at once")
            .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      }
    }
  }

  /**
   * A logical replication session (pgjdbc's {@code replication=database}, simple queries, as
   * Debezium's) with the session settings {@code options}; it also answers plain queries.
   */
  private static java.sql.Connection replicationSession(String jdbcUrl, String options)
      throws Exception {
    var properties = new Properties();
    properties.setProperty("user", EmbeddedPostgresServer.USER);
    properties.setProperty("password", EmbeddedPostgresServer.PASSWORD);
    PGProperty.REPLICATION.set(properties, "database");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "12");
    PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
    properties.setProperty("options", options);
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  /** For a 30 s timeout, in seconds (the settings' base unit; the timeouts' is milliseconds). */
  private static void assertKeepalives(java.sql.Statement statement) throws Exception {
    assertThat(setting(statement, "tcp_keepalives_idle")).isEqualTo("10");
    assertThat(setting(statement, "tcp_keepalives_interval")).isEqualTo("5");
    assertThat(setting(statement, "tcp_keepalives_count")).isEqualTo("4");
  }

  private static String setting(java.sql.Statement statement, String name) throws Exception {
    try (var rows =
        statement.executeQuery("select setting from pg_settings where name = '" + name + "'")) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static long placements(RelayFixture fixture, String run) {
    return fixture.jdbc.queryForObject(
        "select count(*) from outbox_placement where event_id like ?", Long.class, run + "%");
  }

  private static int count(RelayFixture fixture) {
    return fixture.jdbc.queryForObject("select count(*) from outbox_event", Integer.class);
  }
}
