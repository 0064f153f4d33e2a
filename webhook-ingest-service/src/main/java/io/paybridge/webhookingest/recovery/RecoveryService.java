package io.paybridge.webhookingest.recovery;

import io.paybridge.platform.gocardless.GoCardlessFailure;
import io.paybridge.platform.operations.audit.AuditLog;
import io.paybridge.webhookingest.recovery.RecoveryRepository.Organisation;
import io.paybridge.webhookingest.webhook.EventInbox;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads an organisation's events from GoCardless's events API for a time range, page after page,
 * and stores each page through the webhook's inbox ({@link EventInbox}) in a transaction of its
 * own, together with the run's counts: what the inbox did not hold is published (once), the rest
 * changes nothing. A run that fails part-way keeps the pages it stored; reading them again later
 * publishes nothing twice.
 *
 * <p>Scheduled runs ({@link #recoverAll}) read, for each connected organisation, from a little
 * before where the last one ended ({@code overlap}) to {@code settle} ago, and move the
 * organisation's cursor only when the whole range was read. Operators' runs ({@link #request}) read
 * the range they ask for and move no cursor.
 */
@Service
@RecoveryEnabled
class RecoveryService {

  static final String SCHEDULE = "schedule";
  static final String OPERATOR = "operator";

  private static final Logger log = LoggerFactory.getLogger(RecoveryService.class);
  private static final int MAX_ERROR_LENGTH = 500;

  private final RecoveryRepository recoveries;
  private final GoCardlessEventsApi events;
  private final EventInbox inbox;
  private final RecoveryMetrics metrics;
  private final RecoveryProperties properties;
  private final TransactionTemplate transactions;
  private final AuditLog audit;
  private final Clock clock;
  // Leases name the instance that holds them.
  private final String instance = UUID.randomUUID().toString();
  // Operators' runs go on after their request has been answered.
  private final ExecutorService operatorRuns =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("recovery-run-", 0).factory());

  RecoveryService(
      RecoveryRepository recoveries,
      GoCardlessEventsApi events,
      EventInbox inbox,
      RecoveryMetrics metrics,
      RecoveryProperties properties,
      PlatformTransactionManager transactionManager,
      AuditLog audit,
      Clock clock) {
    this.audit = audit;
    this.recoveries = recoveries;
    this.events = events;
    this.inbox = inbox;
    this.metrics = metrics;
    this.properties = properties;
    this.transactions = new TransactionTemplate(transactionManager);
    this.clock = clock;
  }

  @PreDestroy
  void stop() {
    operatorRuns.shutdownNow();
  }

  /**
   * An operator's recovery of one organisation's events created in {@code [from, until)}: the run
   * is recorded and started; it goes on after this returns.
   *
   * @param requestedBy who asked (the subject of their token)
   * @return the run as it started, or empty when no connected merchant has the organisation
   */
  Optional<RecoveryRun> request(
      String organisationId, Instant from, Instant until, String requestedBy) {
    var organisation = recoveries.connectedOrganisation(organisationId);
    if (organisation.isEmpty()) {
      return Optional.empty();
    }
    // The run and its audit entry commit together: no operator run goes unaudited.
    long runId =
        transactions.execute(
            status -> {
              long id =
                  recoveries.startRun(
                      organisation.get(), OPERATOR, requestedBy, from, until, now());
              var detail = new java.util.LinkedHashMap<String, Object>();
              detail.put("organisationId", organisationId);
              detail.put("from", from.toString());
              detail.put("to", until.toString());
              audit.record(
                  "operator:" + requestedBy, "recoveries.started", "recovery " + id, detail);
              return id;
            });
    log.info(
        "Recovery {} of {} ({} .. {}) asked for by {}",
        runId,
        organisationId,
        from,
        until,
        requestedBy);
    operatorRuns.submit(() -> run(runId, organisation.get(), OPERATOR, from, until, null));
    return recoveries.find(runId, abandonedBefore());
  }

  /** One scheduled pass: every connected organisation that no other instance is reading now. */
  void recoverAll() {
    List<Organisation> organisations;
    try {
      organisations = recoveries.connectedOrganisations();
    } catch (RuntimeException e) {
      // The database is away: the next pass tries again (a scheduled task that throws would
      // never run again).
      log.warn("Scheduled recovery could not list the organisations: {}", e.toString());
      return;
    }
    for (Organisation organisation : organisations) {
      if (Thread.currentThread().isInterrupted()) {
        // The schedule stops (shutdown): the organisations not read yet are left to the next
        // start, rather than each recorded as a run failed by the interruption.
        return;
      }
      try {
        recoverScheduled(organisation);
      } catch (RuntimeException e) {
        // One organisation's failure (the database, a bug) must not stop the others'.
        log.warn(
            "Scheduled recovery of {} failed: {}", organisation.organisationId(), e.toString());
      }
    }
  }

  private void recoverScheduled(Organisation organisation) {
    Instant now = now();
    Instant start = organisation.connectedAt() != null ? organisation.connectedAt() : now;
    var claimed =
        recoveries.claim(
            organisation.organisationId(), start, instance, now, now.plus(properties.lease()));
    if (claimed.isEmpty()) {
      return;
    }
    Instant from = claimed.get().minus(properties.overlap());
    Instant until = now.minus(properties.settle());
    if (!until.isAfter(claimed.get())) {
      // Nothing new has settled since the last run.
      recoveries.release(organisation.organisationId(), instance);
      return;
    }
    long runId = recoveries.startRun(organisation, SCHEDULE, null, from, until, now);
    run(runId, organisation, SCHEDULE, from, until, instance);
  }

  /**
   * Reads and stores every page of the range; records how the run ended.
   *
   * @param leaseOwner for a scheduled run: the cursor's lease, renewed at every page and moved on
   *     success; {@code null} for an operator's run
   */
  private void run(
      long runId,
      Organisation organisation,
      String trigger,
      Instant from,
      Instant until,
      String leaseOwner) {
    String traceparent = EventInbox.newTraceparent();
    String organisationId = organisation.organisationId();
    String newest = null;
    try {
      String after = null;
      do {
        var page =
            events.page(organisation.merchantId(), from, until, after, properties.pageSize());
        if (newest == null) {
          newest = page.newestEventId();
        }
        if (!page.events().isEmpty()) {
          // GoCardless lists newest first; within a page, publish in the order they happened.
          List<String> oldestFirst = page.events().reversed();
          var stored =
              transactions.execute(
                  status -> {
                    var result = inbox.storeRecovered(runId, oldestFirst, traceparent);
                    recoveries.pageStored(
                        runId,
                        oldestFirst.size(),
                        result.published().size(),
                        result.alreadyReceived(),
                        result.quarantined(),
                        now());
                    if (leaseOwner != null) {
                      recoveries.renew(organisationId, leaseOwner, now().plus(properties.lease()));
                    }
                    return result;
                  });
          metrics.page(
              trigger, stored.published().size(), stored.alreadyReceived(), stored.quarantined());
          if (!stored.published().isEmpty()) {
            log.info(
                "Recovery {} of {}: {} events never received before, published: {}",
                runId,
                organisationId,
                stored.published().size(),
                stored.published());
          }
        }
        after = page.after();
      } while (after != null);
      if (leaseOwner != null) {
        recoveries.advance(organisationId, leaseOwner, until, newest, now());
      }
      recoveries.finish(runId, true, null, now());
      metrics.run(trigger, true);
    } catch (RuntimeException e) {
      String error = describe(e);
      log.warn("Recovery {} of {} failed: {}", runId, organisationId, error);
      if (leaseOwner != null) {
        recoveries.release(organisationId, leaseOwner);
      }
      recoveries.finish(runId, false, error, now());
      metrics.run(trigger, false);
    }
  }

  /** The run {@code id}, or empty. */
  Optional<RecoveryRun> find(long id) {
    return recoveries.find(id, abandonedBefore());
  }

  /** The latest runs, newest first; of one organisation when it is given. */
  List<RecoveryRun> list(String organisationId, int limit) {
    return recoveries.list(organisationId, limit, abandonedBefore());
  }

  private Instant abandonedBefore() {
    return now().minus(properties.lease());
  }

  // GoCardless's timestamps have milliseconds: a bound finer than that would be cut off in the
  // request, and the cursor would claim what was not asked for.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  // GoCardless failures say what happened without any token; other failures are the service's
  // (the database, a bug): their type and message.
  private static String describe(RuntimeException e) {
    String text =
        e instanceof GoCardlessFailure failure
            ? failure.getClass().getSimpleName() + ": " + failure.getMessage()
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
  }
}
