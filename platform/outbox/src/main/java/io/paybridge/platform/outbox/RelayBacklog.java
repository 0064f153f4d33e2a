package io.paybridge.platform.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How long the service's events wait for Kafka, as every instance of the service can know it: the
 * relay leader writes its {@link RelayState#publishingLag publishing lag} to {@code
 * outbox_relay_report} every {@code report-interval}, and every other instance reads the row back
 * on the same schedule (the leader itself answers from its relay's state at once). A service that
 * can refuse work (webhook-ingest answers 503, and GoCardless delivers again) uses it to keep the
 * time from acknowledgement to Kafka bounded when it takes work faster than its relay publishes.
 *
 * <p>{@link #lag()} is empty whenever the lag is no reason to refuse work: the report is older than
 * {@code stale-after} (no leader, or it cannot write), or the relay is not publishing (Kafka down,
 * a refused slot or record). While Kafka is down events must still be accepted and stored; they
 * wait in the outbox, and the relay's health and alerts say so.
 */
public final class RelayBacklog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RelayBacklog.class);

  static final String REPORT =
      """
      insert into outbox_relay_report (service, lag_millis, publishing, reported_at)
      values (?, ?, ?, clock_timestamp())
      on conflict (service) do update
      set lag_millis = excluded.lag_millis, publishing = excluded.publishing,
          reported_at = excluded.reported_at""";

  static final String READ =
      """
      select lag_millis, publishing, clock_timestamp() - reported_at <= make_interval(secs => ?)
      from outbox_relay_report where service = ?""";

  private final JdbcTemplate jdbc;
  private final String service;
  private final OutboxRelay relay;
  private final Clock clock;
  private final Duration interval;
  private final Duration staleAfter;
  private final ScheduledExecutorService scheduler;
  private volatile Optional<Duration> reported = Optional.empty();
  private volatile boolean failing;

  /**
   * @param relay this instance's relay, or {@code null} when it runs none (it only reads)
   * @param interval how often the leader reports and every instance reads
   * @param staleAfter a report older than this is ignored
   */
  public RelayBacklog(
      JdbcTemplate jdbc,
      String service,
      OutboxRelay relay,
      Clock clock,
      Duration interval,
      Duration staleAfter) {
    this.jdbc = jdbc;
    this.service = service;
    this.relay = relay;
    this.clock = clock;
    this.interval = interval;
    this.staleAfter = staleAfter;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("outbox-relay-backlog").factory());
  }

  /** Starts reporting (on the leader) and reading (everywhere). */
  public void start() {
    scheduler.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * How long events wait for Kafka now; empty when unknown, stale, or while the relay is not
   * publishing. The leader answers from its relay's state at the moment of the call; every other
   * instance from the leader's last report.
   */
  public Optional<Duration> lag() {
    if (leading()) {
      return local(clock.instant());
    }
    return reported;
  }

  void refresh() {
    try {
      if (leading()) {
        // The other instances' view; this one answers from its relay's state directly.
        var now = clock.instant();
        var current = local(now);
        jdbc.update(
            REPORT, service, current.map(Duration::toMillis).orElse(0L), current.isPresent());
      }
      reported =
          jdbc
              .query(
                  READ,
                  (row, i) ->
                      row.getBoolean(2) && row.getBoolean(3)
                          ? Optional.of(Duration.ofMillis(row.getLong(1)))
                          : Optional.<Duration>empty(),
                  staleAfter.toMillis() / 1000.0,
                  service)
              .stream()
              .findFirst()
              .flatMap(found -> found);
      if (failing) {
        failing = false;
        log.info("Relay backlog of {} readable again", service);
      }
    } catch (RuntimeException e) {
      // The database is what fails here; callers then fail on their own writes. Unknown meanwhile.
      reported = Optional.empty();
      if (!failing) {
        failing = true;
        log.warn("Relay backlog of {} cannot be reported or read: {}", service, e.toString());
      }
    }
  }

  private boolean leading() {
    return relay != null && relay.state().role() == RelayStatus.Role.LEADER;
  }

  /**
   * This instance's relay: a batch acknowledged within one interval still says how long events wait
   * (batches follow each other every poll while work flows); a transaction open for five intervals
   * means Kafka is probably going away, which is no reason to refuse work.
   */
  private Optional<Duration> local(java.time.Instant now) {
    RelayState state = relay.state();
    return state.publishing(now, interval.multipliedBy(5))
        ? Optional.of(state.publishingLag(now, interval))
        : Optional.empty();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
