package io.paybridge.platform.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.jdbc.core.JdbcTemplate;

/** Health of the outbox relay and of the Kafka cluster it relays to. */
final class OutboxHealthIndicators {

  private OutboxHealthIndicators() {}

  /**
   * UP while this instance streams as the leader or waits as a standby; DOWN when its leader cannot
   * get batches acknowledged by Kafka, or its engine has stopped. Details: role, backlog, lag. An
   * instance configured without a relay reports the role {@code disabled}.
   */
  static final class Relay extends AbstractHealthIndicator {
    private final OutboxRelay relay;
    private final OutboxBacklog backlog;

    Relay(OutboxRelay relay, OutboxBacklog backlog) {
      super("Outbox relay health check failed");
      this.relay = relay;
      this.backlog = backlog;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
      if (relay == null) {
        builder.up().withDetail("role", "disabled").withDetail("backlogBytes", backlog.bytes());
        return;
      }
      RelayStatus status = relay.status();
      boolean healthy =
          switch (status.role()) {
            case STANDBY -> true;
            case LEADER -> status.streaming() && status.failingSince() == null;
            case STOPPED -> false;
          };
      (healthy ? builder.up() : builder.down())
          .withDetail("role", status.role())
          .withDetail("streaming", status.streaming())
          .withDetail("relayed", status.relayed())
          .withDetail("lagSeconds", status.lag().toMillis() / 1000.0)
          .withDetail("backlogBytes", backlog.bytes());
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
  static final class Parked extends AbstractHealthIndicator {
    private final ParkedRecords parked;

    Parked(ParkedRecords parked) {
      super("Outbox parked records check failed");
      this.parked = parked;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
      long open = parked.open();
      builder.up().withDetail("open", open);
      if (open > 0) {
        builder.withDetail(
            "latest",
            parked.list(false, 5).stream()
                .map(p -> p.eventId() + " (" + p.reason() + ", " + p.topic() + ")")
                .toList());
      }
    }
  }

  /** UP when the Kafka cluster answers a metadata request within a few seconds. */
  static final class Kafka extends AbstractHealthIndicator {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final Map<String, Object> adminConfig;

    Kafka(Map<String, Object> adminConfig) {
      super("Kafka health check failed");
      this.adminConfig = Map.copyOf(adminConfig);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
      var config = new java.util.HashMap<>(adminConfig);
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
      try (Admin admin = Admin.create(config)) {
        var cluster =
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()));
        int nodes = cluster.nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
        builder.up().withDetail("clusterId", cluster.clusterId().get()).withDetail("nodes", nodes);
      }
    }
  }

  /** WAL retained by the slot and not yet confirmed by the relay: outbox events not yet relayed. */
  static final class OutboxBacklog {
    private final JdbcTemplate jdbc;
    private final String slot;

    OutboxBacklog(JdbcTemplate jdbc, String slot) {
      this.jdbc = jdbc;
      this.slot = slot;
    }

    long bytes() {
      try {
        Long bytes =
            jdbc.queryForObject(
                "select coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint "
                    + "from pg_replication_slots where slot_name = ?",
                Long.class,
                slot);
        return bytes == null ? -1 : bytes;
      } catch (RuntimeException e) {
        return -1;
      }
    }
  }
}
