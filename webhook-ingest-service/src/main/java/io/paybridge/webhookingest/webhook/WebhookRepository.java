package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.outbox.OutboxWriter;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The deliveries ({@code webhook_delivery}) and the inbox of events ({@code gocardless_event}). */
@Repository
class WebhookRepository {

  private static final Logger log = LoggerFactory.getLogger(WebhookRepository.class);

  // The deliveries of a group, one row per element of the arrays.
  private static final String INSERT_DELIVERIES =
      """
      insert into webhook_delivery
          (id, webhook_id, received_at, signature, user_agent, origin, traceparent, body, event_count)
      select * from unnest(?::uuid[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[],
                           ?::text[], ?::bytea[], ?::integer[])
      """;

  // One statement for the events of a whole group of deliveries; the unique event id makes a
  // concurrent or later duplicate insert nothing, and RETURNING tells which events are new. An id
  // repeated in the statement (within a delivery, or in two deliveries of one group) is inserted
  // once, by its first row.
  private static final String INSERT_NEW_EVENTS =
      """
      insert into gocardless_event
          (event_id, synthetic_id, resource_type, action, resource_id, organisation_id, occurred_at,
           delivery_id, received_at, payload, released_from)
      select e.event_id, e.synthetic_id, e.resource_type, e.action, e.resource_id, e.organisation_id,
             e.occurred_at, e.delivery_id, e.received_at, e.payload::json, ?
      from unnest(?::varchar[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[],
                  ?::timestamptz[], ?::text[], ?::uuid[], ?::timestamptz[])
           as e(event_id, synthetic_id, resource_type, action, resource_id, organisation_id,
                occurred_at, payload, delivery_id, received_at)
      on conflict (event_id) do nothing
      returning event_id
      """;

  // A group's deliveries and their events in one statement, one round trip to the database: the
  // deliveries are inserted by a data-modifying WITH, which runs to completion although the main
  // statement does not read it.
  private static final String INSERT_DELIVERIES_AND_NEW_EVENTS =
      "with deliveries as (\n" + INSERT_DELIVERIES + ")\n" + INSERT_NEW_EVENTS;

  // A group's deliveries, its events new to the inbox and their outbox records in one statement,
  // which PostgreSQL runs as one transaction: in autocommit, one round trip to the database with
  // the commit. Each data-modifying WITH query runs to completion whether or not another reads it;
  // the outbox's inserts the records of the events the inbox's returned (the new ones).
  private static final String INSERT_GROUP =
      """
      with deliveries as (
      %s),
      inbox as (
      %s),
      outbox as (
      %s)
      select event_id from inbox
      """
          .formatted(
              INSERT_DELIVERIES,
              INSERT_NEW_EVENTS,
              OutboxWriter.insertWhereIdIn("select event_id from inbox"));

  private final JdbcTemplate jdbc;
  private final OutboxWriter outbox;

  // Closes the connections of transactions past their deadline. A platform thread of its own, so
  // that it still runs on time when the request threads (virtual) saturate the cores.
  private final ScheduledThreadPoolExecutor deadlines;

  WebhookRepository(JdbcTemplate jdbc, OutboxWriter outbox) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("webhook-transaction-deadline").factory());
    // Nearly every deadline is cancelled (the transaction ends in milliseconds): drop them at once.
    deadlines.setRemoveOnCancelPolicy(true);
  }

  @PreDestroy
  void stopDeadlines() {
    deadlines.shutdownNow();
  }

  /**
   * Bounds the current transaction: if it has not completed (committed or rolled back) within
   * {@code remaining}, its connection is aborted, so that whatever the request is waiting for (a
   * statement, the commit) fails at once with a connection error instead of waiting for a server
   * that does not answer.
   *
   * <p>Why closing the connection: a hung PostgreSQL (its processes paused, connections open) never
   * answers, so nothing the server enforces helps ({@code statement_timeout}), and a JDBC query
   * timeout does not either (pgjdbc cancels through a new connection to the same hung server). A
   * socket read timeout would bound each read but not the request: it restarts with every
   * statement. Closing the socket bounds the whole transaction, commit included.
   *
   * <p>A commit interrupted this way is ambiguous: the server may have received it and commit once
   * it runs again. The caller answers 503 all the same: GoCardless delivers again, and the inbox's
   * unique event id turns the redelivery into a duplicate that publishes nothing.
   *
   * @throws QueryTimeoutException if {@code remaining} is not positive: nothing was written yet
   */
  void limitTransaction(Duration remaining) {
    var dataSource = jdbc.getDataSource();
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      TransactionSynchronizationManager.registerSynchronization(limit(connection, remaining));
    } finally {
      // The transaction's own connection: this only gives back the reference taken above.
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  /**
   * Aborts {@code connection} in {@code remaining}, unless the returned deadline is settled first.
   *
   * @throws QueryTimeoutException if {@code remaining} is not positive: nothing was written yet
   */
  private TransactionDeadline limit(Connection connection, Duration remaining) {
    if (remaining.isNegative() || remaining.isZero()) {
      throw new QueryTimeoutException(
          "The storage deadline passed before the transaction could start (waited for a connection)");
    }
    var deadline = new TransactionDeadline(() -> abort(connection));
    deadline.scheduled = deadlines.schedule(deadline, remaining.toNanos(), TimeUnit.NANOSECONDS);
    return deadline;
  }

  private static void abort(Connection connection) {
    log.warn("A webhook transaction outlived its storage deadline: closing its connection");
    try {
      // Closes the socket (pgjdbc): the blocked read fails with SQLState 08006, and the pool evicts
      // the connection instead of handing it out again.
      connection.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      log.warn("Could not abort the connection of a late webhook transaction: {}", e.toString());
    }
  }

  /** Aborts a transaction's connection at its deadline, unless the transaction completed first. */
  private static final class TransactionDeadline implements Runnable, TransactionSynchronization {

    private final Runnable abort;
    private volatile ScheduledFuture<?> scheduled;
    private boolean settled;

    TransactionDeadline(Runnable abort) {
      this.abort = abort;
    }

    @Override
    public synchronized void run() {
      if (!settled) {
        settled = true;
        abort.run();
      }
    }

    @Override
    public void afterCompletion(int status) {
      settle();
    }

    /**
     * The transaction completed: no abort from now on. Synchronized with run(): an abort already
     * under way finishes before the connection is reset and given back, so the pool sees it broken
     * and evicts it.
     */
    void settle() {
      synchronized (this) {
        settled = true;
      }
      var future = scheduled;
      if (future != null) {
        future.cancel(false);
      }
    }
  }

  /**
   * Whether {@code failure} means the database could not be used (unreachable, shut down, hanging,
   * out of connections, a commit or rollback that failed) rather than a fault of the request or of
   * the code: the delivery was not stored, and the same delivery later may well be.
   */
  static boolean meansStorageUnavailable(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof TransactionSystemException transaction) {
        // A rollback that failed after the real failure (the connection closed under it, as when
        // PostgreSQL shuts down mid-transaction) reports the real one as its application
        // exception; without one, the commit or rollback itself failed: nothing confirmed.
        Throwable application = transaction.getApplicationException();
        return application == null || meansStorageUnavailable(application);
      }
      if (t instanceof DataAccessResourceFailureException
          || t instanceof TransientDataAccessException
          || t instanceof CannotCreateTransactionException
          || t instanceof TransactionTimedOutException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof SQLTimeoutException) {
        return true;
      }
      if (t instanceof SQLException sql && isUnavailableState(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  // SQLState classes: 08 connection exception, 53 insufficient resources (too many connections,
  // disk full), 57P operator intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03
  // cannot connect now: starting or stopping).
  private static boolean isUnavailableState(String state) {
    return state != null
        && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P"));
  }

  /**
   * Inserts a group's deliveries, the events the inbox does not hold yet and the outbox records of
   * those, in one statement run on its own ({@link #INSERT_GROUP}, autocommit): all of it or, if it
   * fails, nothing. Events go into the inbox as {@link #insertNewEvents} puts them.
   *
   * @param published the outbox record of every event that may be new, each id once, in the order
   *     to publish: only those of the events inserted are written
   * @param remaining the time left to the storage deadline: if the statement has not returned by
   *     then, its connection is aborted (as {@link #limitTransaction} does)
   * @return the ids of the events inserted (an id repeated in {@code events} at most once)
   * @throws QueryTimeoutException if {@code remaining} is not positive: nothing was written
   */
  List<String> insertGroup(
      List<NewDelivery> deliveries,
      List<InboxRow> events,
      List<OutboxEvent> published,
      Duration remaining) {
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException("A group's statement is a transaction of its own");
    }
    var rows = inLockOrder(events);
    return jdbc.execute(
        (Connection connection) -> {
          var deadline = limit(connection, remaining);
          try (var statement = connection.prepareStatement(INSERT_GROUP)) {
            int bound = bindDeliveries(connection, statement, deliveries);
            bound += bindEvents(connection, statement, bound, rows, null);
            outbox.bind(connection, statement, bound, published);
            return insertedIds(statement, rows.size());
          } finally {
            deadline.settle();
          }
        });
  }

  /**
   * Inserts a group's deliveries and the events the inbox does not hold yet, in one statement (as
   * {@link #insertNewEvents}, in the same order).
   *
   * @return the ids of the events inserted (an id repeated in {@code events} at most once)
   */
  List<String> insertDeliveriesAndNewEvents(List<NewDelivery> deliveries, List<InboxRow> events) {
    return insertEvents(deliveries, events, null);
  }

  /** Binds {@link #INSERT_DELIVERIES}'s parameters; returns how many it bound. */
  private static int bindDeliveries(
      Connection connection, PreparedStatement statement, List<NewDelivery> rows)
      throws SQLException {
    int n = rows.size();
    var ids = new UUID[n];
    var webhookIds = new String[n];
    var receivedAt = new Timestamp[n];
    var signatures = new String[n];
    var userAgents = new String[n];
    var origins = new String[n];
    var traceparents = new String[n];
    var bodies = new byte[n][];
    var eventCounts = new Integer[n];
    for (int i = 0; i < n; i++) {
      var delivery = rows.get(i).delivery();
      ids[i] = rows.get(i).id();
      webhookIds[i] = delivery.webhookId();
      receivedAt[i] = Timestamp.from(delivery.receivedAt());
      signatures[i] = delivery.signature();
      userAgents[i] = delivery.userAgent();
      origins[i] = delivery.origin();
      traceparents[i] = delivery.traceparent();
      bodies[i] = delivery.body();
      eventCounts[i] = rows.get(i).eventCount();
    }
    statement.setArray(1, connection.createArrayOf("uuid", ids));
    statement.setArray(2, connection.createArrayOf("text", webhookIds));
    statement.setArray(3, connection.createArrayOf("timestamptz", receivedAt));
    statement.setArray(4, connection.createArrayOf("text", signatures));
    statement.setArray(5, connection.createArrayOf("text", userAgents));
    statement.setArray(6, connection.createArrayOf("text", origins));
    statement.setArray(7, connection.createArrayOf("text", traceparents));
    statement.setArray(8, connection.createArrayOf("bytea", bodies));
    statement.setArray(9, connection.createArrayOf("integer", eventCounts));
    return 9;
  }

  /**
   * Inserts a page of events read back from GoCardless's events API by recovery run {@code runId}:
   * a delivery without signature, user agent or origin, marked with its run.
   */
  void insertRecoveredPage(
      UUID id, long runId, Instant readAt, String traceparent, byte[] body, int eventCount) {
    jdbc.update(
        """
        insert into webhook_delivery
            (id, webhook_id, received_at, signature, traceparent, body, event_count, recovery_run_id)
        values (?, null, ?, null, ?, ?, ?, ?)
        """,
        id,
        Timestamp.from(readAt),
        traceparent,
        body,
        eventCount,
        runId);
  }

  /** The delivery {@code id} as stored, or empty. */
  Optional<StoredDelivery> findDelivery(UUID id) {
    return jdbc
        .query(
            "select id, received_at, traceparent, body from webhook_delivery where id = ?",
            (rows, n) ->
                new StoredDelivery(
                    rows.getObject("id", UUID.class),
                    rows.getTimestamp("received_at").toInstant(),
                    rows.getString("traceparent"),
                    rows.getBytes("body")),
            id)
        .stream()
        .findFirst();
  }

  /**
   * Inserts the events the inbox does not hold yet.
   *
   * <p>Rows go in ordered by event id (stably: among equal ids the first given stays first), so
   * that two transactions inserting overlapping events take their row locks in the same order and
   * never deadlock each other (which would fail every delivery of both groups).
   *
   * @param releasedFrom the quarantined event they come from, or {@code null} for deliveries
   * @return the ids inserted (an id repeated in {@code events} at most once, by its first row)
   */
  List<String> insertNewEvents(List<InboxRow> events, Long releasedFrom) {
    return insertEvents(List.of(), events, releasedFrom);
  }

  /**
   * Inserts {@code events} new to the inbox, and {@code deliveries} (if any) in the same statement
   * ({@link #INSERT_DELIVERIES_AND_NEW_EVENTS}, else {@link #INSERT_NEW_EVENTS}).
   */
  private List<String> insertEvents(
      List<NewDelivery> deliveries, List<InboxRow> events, Long releasedFrom) {
    var rows = inLockOrder(events);
    return jdbc.execute(
        (Connection connection) -> {
          try (var statement =
              connection.prepareStatement(
                  deliveries.isEmpty() ? INSERT_NEW_EVENTS : INSERT_DELIVERIES_AND_NEW_EVENTS)) {
            int bound =
                deliveries.isEmpty() ? 0 : bindDeliveries(connection, statement, deliveries);
            bindEvents(connection, statement, bound, rows, releasedFrom);
            return insertedIds(statement, rows.size());
          }
        });
  }

  private static List<InboxRow> inLockOrder(List<InboxRow> events) {
    var rows = new ArrayList<>(events);
    rows.sort(Comparator.comparing(row -> row.event().id()));
    return rows;
  }

  /**
   * Binds {@link #INSERT_NEW_EVENTS}'s parameters, which follow the first {@code before}; returns
   * how many it bound.
   */
  private static int bindEvents(
      Connection connection,
      PreparedStatement statement,
      int before,
      List<InboxRow> rows,
      Long releasedFrom)
      throws SQLException {
    statement.setObject(before + 1, releasedFrom, Types.BIGINT);
    statement.setArray(
        before + 2, connection.createArrayOf("varchar", column(rows, GoCardlessEvent::id)));
    statement.setArray(
        before + 3,
        connection.createArrayOf(
            "boolean",
            rows.stream().map(row -> row.event().syntheticId()).toArray(Boolean[]::new)));
    statement.setArray(
        before + 4, connection.createArrayOf("text", column(rows, GoCardlessEvent::resourceType)));
    statement.setArray(
        before + 5, connection.createArrayOf("text", column(rows, GoCardlessEvent::action)));
    statement.setArray(
        before + 6, connection.createArrayOf("text", column(rows, GoCardlessEvent::resourceId)));
    statement.setArray(
        before + 7,
        connection.createArrayOf("text", column(rows, GoCardlessEvent::organisationId)));
    statement.setArray(
        before + 8,
        connection.createArrayOf(
            "timestamptz",
            rows.stream()
                .map(row -> row.event().occurredAt())
                .map(at -> at == null ? null : Timestamp.from(at))
                .toArray(Timestamp[]::new)));
    statement.setArray(
        before + 9, connection.createArrayOf("text", column(rows, GoCardlessEvent::json)));
    statement.setArray(
        before + 10,
        connection.createArrayOf(
            "uuid", rows.stream().map(InboxRow::deliveryId).toArray(UUID[]::new)));
    statement.setArray(
        before + 11,
        connection.createArrayOf(
            "timestamptz",
            rows.stream().map(row -> Timestamp.from(row.receivedAt())).toArray(Timestamp[]::new)));
    return 11;
  }

  private static List<String> insertedIds(PreparedStatement statement, int expectedAtMost)
      throws SQLException {
    var inserted = new ArrayList<String>(expectedAtMost);
    try (var result = statement.executeQuery()) {
      while (result.next()) {
        inserted.add(result.getString(1));
      }
    }
    return inserted;
  }

  private static String[] column(List<InboxRow> rows, Function<GoCardlessEvent, String> field) {
    return rows.stream().map(InboxRow::event).map(field).toArray(String[]::new);
  }

  /** A delivery to insert, with its id and its number of events. */
  record NewDelivery(UUID id, WebhookIngestion.WebhookDelivery delivery, int eventCount) {}

  /** An event for the inbox, with the delivery that brought it and when it arrived. */
  record InboxRow(UUID deliveryId, Instant receivedAt, GoCardlessEvent event) {}

  /** A delivery as stored: what releasing one of its quarantined events needs. */
  record StoredDelivery(UUID id, Instant receivedAt, String traceparent, byte[] body) {}
}
