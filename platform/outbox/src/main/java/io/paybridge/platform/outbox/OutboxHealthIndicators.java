package io.paybridge.platform.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Health of the database, of the Kafka cluster and of the outbox relay, as cheap as reading a
 * field: the relay reports the state it keeps anyway ({@link OutboxRelay#status()}), and what needs
 * a network round trip (database, Kafka, the slot's backlog) is checked by {@link BackgroundChecks}
 * at a fixed pace whatever the number of health requests.
 */
final class OutboxHealthIndicators {

  private OutboxHealthIndicators() {}

  /**
   * UP while this instance streams as the leader or waits as a standby; DOWN when its leader cannot
   * get batches acknowledged by Kafka, or its engine has stopped. Details: role, backlog, lag. An
   * instance configured without a relay reports the role {@code disabled}.
   */
  static final class Relay implements HealthIndicator {
    private final OutboxRelay relay;
    private final BackgroundChecks checks;

    Relay(OutboxRelay relay, BackgroundChecks checks) {
      this.relay = relay;
      this.checks = checks;
    }

    @Override
    public Health health() {
      if (relay == null) {
        return Health.up()
            .withDetail("role", "disabled")
            .withDetail("backlogBytes", checks.backlogBytes())
            .build();
      }
      RelayStatus status = relay.status();
      boolean healthy =
          switch (status.role()) {
            case STANDBY -> true;
            case LEADER -> status.streaming() && status.failingSince() == null;
            case STOPPED -> false;
          };
      var builder =
          (healthy ? Health.up() : Health.down())
              .withDetail("role", status.role())
              .withDetail("streaming", status.streaming())
              .withDetail("relayed", status.relayed())
              .withDetail("lagSeconds", status.lag().toMillis() / 1000.0)
              .withDetail("backlogBytes", checks.backlogBytes());
      if (status.lastRelayedAt() != null) {
        builder.withDetail("lastRelayedAt", status.lastRelayedAt().toString());
      }
      if (status.failingSince() != null) {
        builder.withDetail("failingSince", status.failingSince().toString());
      }
      if (status.lastError() != null) {
        builder.withDetail("lastError", status.lastError());
      }
      if (status.fencedAt() != null) {
        builder.withDetail("fencedAt", status.fencedAt().toString());
      }
      RecoveryDetails.of(status).forEach(builder::withDetail);
      return builder.build();
    }
  }

  /**
   * Details of what keeps the relay from relaying, added to {@code outboxRelay}: {@code reason} (a
   * lost or replaced slot, a record Kafka refuses for good), {@code reasonDetail}, and {@code
   * parked} when this instance parked records.
   */
  static final class RecoveryDetails {
    private RecoveryDetails() {}

    static Map<String, Object> of(RelayStatus status) {
      var details = new java.util.LinkedHashMap<String, Object>();
      if (status.reason() != null) {
        details.put("reason", status.reason());
        details.put("reasonDetail", status.reasonDetail());
      }
      if (status.parked() > 0) {
        details.put("parked", status.parked());
      }
      return details;
    }
  }

  /**
   * {@code outboxParked}: records Kafka refused for good that the relay parked (table {@code
   * outbox_parked}) and nobody has re-sent or discarded yet. UP either way: the relay moved on, and
   * the parked records are for an operator (alert on {@code paybridge_outbox_parked > 0}); details
   * {@code open} and the latest few.
   */
  static final class Parked implements HealthIndicator {
    private final ParkedRecords parked;
    private final Duration refreshAfter;
    private Health last;
    private Instant lastAt = Instant.MIN;

    /**
     * @param refreshAfter how old the last reading may be before a call reads the table again: so
     *     that a burst of health requests costs at most one query per period
     */
    Parked(ParkedRecords parked, Duration refreshAfter) {
      this.parked = parked;
      this.refreshAfter = refreshAfter;
    }

    @Override
    public synchronized Health health() {
      Instant now = Instant.now();
      if (last == null || lastAt.plus(refreshAfter).isBefore(now)) {
        last = read();
        lastAt = now;
      }
      return last;
    }

    private Health read() {
      long open;
      try {
        open = parked.open();
      } catch (java.sql.SQLException | RuntimeException e) {
        return Health.unknown().withDetail("error", e.getClass().getSimpleName()).build();
      }
      var builder = Health.up().withDetail("open", open);
      if (open > 0) {
        try {
          builder.withDetail(
              "latest",
              parked.list(false, 5).stream()
                  .map(p -> p.eventId() + " (" + p.reason() + ", " + p.topic() + ")")
                  .toList());
        } catch (java.sql.SQLException | RuntimeException e) {
          builder.withDetail("latestError", e.getClass().getSimpleName());
        }
      }
      return builder.build();
    }
  }

  /** {@code kafka}: UP when the cluster answered the last background metadata request. */
  static final class Kafka implements HealthIndicator {
    private final BackgroundChecks checks;

    Kafka(BackgroundChecks checks) {
      this.checks = checks;
    }

    @Override
    public Health health() {
      return checks.kafka().health(checks.clock.instant(), checks.staleAfter);
    }
  }

  /**
   * {@code db}, in place of Spring Boot's indicator (which validates a pooled connection on every
   * request, so that a burst of health requests competes with the service's own work for the pool):
   * UP when the last background validation succeeded.
   */
  static final class Database implements HealthIndicator {
    private final BackgroundChecks checks;

    Database(BackgroundChecks checks) {
      this.checks = checks;
    }

    @Override
    public Health health() {
      return checks.database().health(checks.clock.instant(), checks.staleAfter);
    }
  }

  /**
   * The answer of one background check and when it was had. Before the first check, and when no
   * check has completed for too long (a check hanging on a pool or a broker), it reports DOWN.
   */
  record Check(boolean up, Map<String, Object> details, Instant checkedAt) {

    static Check notYet() {
      return new Check(false, Map.of("reason", "not checked yet"), null);
    }

    Health health(Instant now, Duration staleAfter) {
      if (checkedAt == null) {
        return Health.down().withDetails(details).build();
      }
      if (Duration.between(checkedAt, now).compareTo(staleAfter) > 0) {
        return Health.down()
            .withDetail("reason", "no check completed since " + checkedAt)
            .withDetail("checkedAt", checkedAt.toString())
            .build();
      }
      return (up ? Health.up() : Health.down())
          .withDetails(details)
          .withDetail("checkedAt", checkedAt.toString())
          .build();
    }
  }

  /**
   * Asks the database and the Kafka cluster on two daemon threads, every {@code interval}, and
   * keeps the last answers for the indicators and the backlog gauge. The Kafka admin client is
   * created once and kept (a new one per check would open new connections, and fetch the cluster's
   * metadata, each time); it is replaced only after a failed check, so that a broker address that
   * changed is resolved again.
   */
  static final class BackgroundChecks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundChecks.class);

    private final JdbcTemplate jdbc;
    private final String slot;
    private final Map<String, Object> adminConfig;
    private final OutboxHealthProperties properties;
    private final Duration staleAfter;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile Check database = Check.notYet();
    private volatile Check kafka = Check.notYet();
    private volatile long backlogBytes = -1;
    private Admin admin; // only touched by the Kafka check's thread

    BackgroundChecks(
        JdbcTemplate jdbc,
        String slot,
        Map<String, Object> adminConfig,
        OutboxHealthProperties properties) {
      this.jdbc = jdbc;
      this.slot = slot;
      var config = new HashMap<>(adminConfig);
      int timeoutMs = (int) properties.timeout().toMillis();
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
      config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "outbox-health");
      this.adminConfig = Map.copyOf(config);
      this.properties = properties;
      this.staleAfter = properties.staleAfter();
      this.clock = Clock.systemUTC();
      this.scheduler =
          Executors.newScheduledThreadPool(
              2, Thread.ofPlatform().daemon().name("outbox-health-", 0).factory());
    }

    /** Starts checking at once, then every interval after the previous check ended. */
    void start() {
      long interval = properties.interval().toMillis();
      scheduler.scheduleWithFixedDelay(this::checkDatabase, 0, interval, TimeUnit.MILLISECONDS);
      scheduler.scheduleWithFixedDelay(this::checkKafka, 0, interval, TimeUnit.MILLISECONDS);
    }

    Check database() {
      return database;
    }

    Check kafka() {
      return kafka;
    }

    /**
     * WAL retained by the slot and not yet confirmed by the relay (outbox events not yet relayed),
     * as of the last check; {@code -1} when it could not be read.
     */
    long backlogBytes() {
      return backlogBytes;
    }

    void checkDatabase() {
      int timeoutSeconds = (int) Math.max(1, properties.timeout().toSeconds());
      try {
        String product =
            jdbc.execute(
                (ConnectionCallback<String>)
                    connection -> {
                      if (!connection.isValid(timeoutSeconds)) {
                        throw new IllegalStateException("connection not valid");
                      }
                      return connection.getMetaData().getDatabaseProductName();
                    });
        database = new Check(true, Map.of("database", String.valueOf(product)), clock.instant());
      } catch (RuntimeException e) {
        database = new Check(false, Map.of("error", describe(e)), clock.instant());
        backlogBytes = -1;
        return;
      }
      try {
        Long bytes =
            jdbc.queryForObject(
                "select coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint "
                    + "from pg_replication_slots where slot_name = ?",
                Long.class,
                slot);
        backlogBytes = bytes == null ? -1 : bytes;
      } catch (RuntimeException e) {
        backlogBytes = -1;
      }
    }

    void checkKafka() {
      long timeoutMs = properties.timeout().toMillis();
      try {
        if (admin == null) {
          admin = Admin.create(adminConfig);
        }
        var cluster =
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs));
        int nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
        String clusterId = cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
        kafka = new Check(true, Map.of("clusterId", clusterId, "nodes", nodes), clock.instant());
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        kafka = new Check(false, Map.of("error", describe(e)), clock.instant());
        closeAdmin();
      }
    }

    private void closeAdmin() {
      if (admin != null) {
        try {
          admin.close(Duration.ZERO);
        } catch (RuntimeException e) {
          log.debug("Closing the health check's Kafka admin client failed", e);
        }
        admin = null;
      }
    }

    private static String describe(Throwable e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public void close() {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // The Kafka check's thread has stopped (or is stuck past its timeout): close from here.
      closeAdmin();
    }
  }
}
