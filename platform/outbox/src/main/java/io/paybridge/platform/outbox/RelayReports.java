package io.paybridge.platform.outbox;

import java.time.Duration;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;

/** Answers {@link RelayReport}s from what the relay and the background health checks know. */
public class RelayReports {

  /** A leader's report older than this says nothing about its lag now. */
  private static final Duration REPORT_FRESH_FOR = Duration.ofSeconds(10);

  private final String service;
  private final OutboxRelay relay;
  private final OutboxHealthIndicators.BackgroundChecks checks;
  private final JdbcTemplate jdbc;

  RelayReports(
      String service,
      OutboxRelay relay,
      OutboxHealthIndicators.BackgroundChecks checks,
      JdbcTemplate jdbc) {
    this.service = service;
    this.relay = relay;
    this.checks = checks;
    this.jdbc = jdbc;
  }

  public RelayReport report() {
    long bytes = checks == null ? -1 : checks.backlogBytes();
    Long backlog = bytes < 0 ? null : bytes;
    if (relay == null) {
      return new RelayReport(service, false, "disabled", reportedLag(), backlog);
    }
    RelayStatus status = relay.status();
    return switch (status.role()) {
      case LEADER ->
          new RelayReport(service, true, leaderState(status), status.lag().toMillis(), backlog);
      case STANDBY -> new RelayReport(service, false, "standby", reportedLag(), backlog);
      case STOPPED -> new RelayReport(service, false, "stopped", reportedLag(), backlog);
    };
  }

  private static String leaderState(RelayStatus status) {
    if (status.reason() != null) {
      return status.reason().toLowerCase(Locale.ROOT);
    }
    if (status.failingSince() != null) {
      return "failing";
    }
    return status.streaming() ? "publishing" : "starting";
  }

  /** The leader's last report (outbox_relay_report), when fresh and publishing. */
  private Long reportedLag() {
    try {
      return jdbc
          .query(
              RelayBacklog.READ,
              (row, i) -> row.getBoolean(2) && row.getBoolean(3) ? row.getLong(1) : null,
              REPORT_FRESH_FOR.toMillis() / 1000.0,
              service)
          .stream()
          .findFirst()
          .orElse(null);
    } catch (RuntimeException e) {
      return null; // unknown: the database is what fails, and the report says so with null
    }
  }
}
