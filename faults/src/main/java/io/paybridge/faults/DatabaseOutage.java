package io.paybridge.faults;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.platform.testsupport.SignedWebhooks;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Scenario 3: PostgreSQL stopped for {@code databaseStop} and started again, then PostgreSQL hung
 * for {@code databaseHang} (every process SIGSTOPped, connections left open), each under load, with
 * webhook-ingest-service and oauth-service (whose consumers apply every {@code
 * gocardless.organisations} event in a database transaction) running.
 *
 * <p>Pass, per fault: no answer slower than 5 s and none left past GoCardless's 10 s; every 2xx'd
 * event committed in the inbox; every acknowledged event on Kafka once; oauth-service dead-letters
 * nothing and applies every organisations event.
 */
final class DatabaseOutage {

  /** An answer slower than this (a 503 included) counts against the service. */
  static final Duration ANSWER_LIMIT = Duration.ofSeconds(5);

  /** One webhook in this many carries an organisations event instead of a payments event. */
  static final int ORGANISATION_EVERY = 10;

  private DatabaseOutage() {}

  interface Fault {
    void inject() throws Exception;
  }

  static List<Verdict> run(Stack stack) throws Exception {
    var settings = stack.settings;
    FaultHarness.say("scenario 3 PostgreSQL stopped, then hung, under load");
    var ingest = stack.webhookIngest("scenario-3", Map.of());
    // Nothing listens there: this scenario needs only oauth-service's consumers.
    var oauth =
        stack.oauthService("scenario-3", "http://localhost:" + Stack.freePort(), Stack.freePort());
    stack.startAndAwait(ingest);
    stack.startAndAwait(oauth);
    var verdicts = new ArrayList<Verdict>();
    try {
      verdicts.add(
          phase(
              stack,
              ingest,
              "3a PostgreSQL stopped for " + settings.databaseStop().toSeconds() + " s",
              "P",
              () -> {
                FaultHarness.say("  stopping PostgreSQL (pg_ctl stop -m fast)");
                stack.postgres.stop();
                Stack.sleep(settings.databaseStop());
                FaultHarness.say("  starting PostgreSQL again");
                stack.postgres.start();
              }));
      verdicts.add(
          phase(
              stack,
              ingest,
              "3b PostgreSQL hung for " + settings.databaseHang().toSeconds() + " s",
              "H",
              () -> {
                stack.postgres.pause();
                FaultHarness.say(
                    "  PostgreSQL paused (SIGSTOP to %d processes)",
                    stack.postgres.pausedProcesses());
                Stack.sleep(settings.databaseHang());
                FaultHarness.say("  resuming PostgreSQL (SIGCONT)");
                stack.postgres.resume();
              }));
      return verdicts;
    } finally {
      stack.postgres.resume();
      stack.stopServices();
    }
  }

  private static Verdict phase(
      Stack stack, ServiceProcess ingest, String name, String tag, Fault fault) throws Exception {
    var settings = stack.settings;
    FaultHarness.say("scenario %s", name);
    var audit =
        new TopicAudit(
            stack.kafka.bootstrapServers(),
            List.of(Topics.GOCARDLESS_PAYMENTS, Topics.GOCARDLESS_ORGANISATIONS));
    var dlt =
        new TopicAudit(
            stack.kafka.bootstrapServers(),
            List.of(
                Stack.deadLetterTopic(Topics.GOCARDLESS_ORGANISATIONS),
                Stack.deadLetterTopic(Topics.GOCARDLESS_CREDITORS)));
    var load =
        new WebhookLoad(
            stack.webhooks,
            () -> List.of(Stack.webhookEndpoint(ingest)),
            settings,
            Duration.ofMinutes(5));
    var details = new ArrayList<String>();
    var backlog = new Backlog(stack, tag);
    try {
      backlog.start();
      Set<String> organisationIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
      load.start(settings.rate(), mixed(stack, load, tag, organisationIds));
      Stack.sleep(settings.loadBefore());
      Instant faultStart = Instant.now();
      fault.inject();
      Instant faultEnd = Instant.now();
      Stack.sleep(settings.loadAfter());
      load.stopSending();
      backlog.stop();
      boolean settled = load.awaitSettled(Duration.ofMinutes(3));

      long attemptsInWindow = 0;
      long slow = 0;
      long timeouts = 0;
      long slowest = 0;
      long okInFault = 0;
      // The window: from the fault until GoCardless's timeout after it ended, so a request caught
      // by the fault is counted whenever it was answered.
      Instant windowEnd = faultEnd.plus(WebhookLoad.GOCARDLESS_TIMEOUT);
      for (var delivery : load.snapshot()) {
        for (var attempt : List.copyOf(delivery.attempts)) {
          Instant answered = attempt.sentAt().plusMillis(attempt.millis());
          if (answered.isBefore(faultStart) || attempt.sentAt().isAfter(windowEnd)) {
            continue;
          }
          attemptsInWindow++;
          slowest = Math.max(slowest, attempt.millis());
          if (attempt.outcome().equals("timeout") || attempt.outcome().equals("connect-timeout")) {
            timeouts++;
          } else if (attempt.millis() > ANSWER_LIMIT.toMillis()) {
            slow++;
          }
          if (attempt.ok() && attempt.sentAt().isAfter(faultStart) && answered.isBefore(faultEnd)) {
            okInFault++;
          }
        }
      }
      String answers =
          String.format(
              "%d attempts around the fault: %d answered after more than %d s, %d unanswered"
                  + " within GoCardless's 10 s, slowest %.1f s, %d 2xx while it lasted",
              attemptsInWindow,
              slow,
              ANSWER_LIMIT.toSeconds(),
              timeouts,
              slowest / 1000.0,
              okInFault);
      FaultHarness.say("  %s; answers %s", answers, load.describeOutcomes());

      var markers = new ArrayList<SignedWebhooks.Webhook>(stack.paymentMarkers(tag));
      markers.addAll(stack.organisationMarkers(tag));
      stack.sendMarkers(load, markers);
      Set<String> acknowledged = Stack.acknowledged(load, stack.prefix(tag));
      var result =
          audit.audit(
              acknowledged, stack.prefix(tag), Stack.ids(markers), settings.markerTimeout());
      long notCommitted = notInInbox(stack, acknowledged);

      // oauth-service: every organisations event applied (recorded in consumed_message), none
      // dead-lettered. Its markers are the last organisations events: wait for those.
      var organisationEvents =
          new ArrayList<>(acknowledged.stream().filter(organisationIds::contains).toList());
      organisationEvents.addAll(backlog.published);
      var organisationMarkers = Stack.ids(stack.organisationMarkers(tag)).stream().toList();
      boolean consumerCaughtUp =
          awaitConsumed(stack, organisationMarkers, settings.markerTimeout());
      List<String> unapplied = unapplied(stack, organisationEvents);
      long notApplied = unapplied.size();
      long deadLettered =
          dlt.recordsSince(Stack.deadLetterTopic(Topics.GOCARDLESS_ORGANISATIONS))
              + dlt.recordsSince(Stack.deadLetterTopic(Topics.GOCARDLESS_CREDITORS));
      String consumers =
          String.format(
              "oauth-service: %d of %d organisations events (%d of them published straight to the"
                  + " topic) not applied, %d dead-lettered%s",
              notApplied,
              organisationEvents.size(),
              backlog.published.size(),
              deadLettered,
              consumerCaughtUp ? "" : " (its markers were not applied within the timeout)");
      details.add(answers);
      details.add("answers: " + load.describeOutcomes());
      details.add(notCommitted + " acknowledged events not in the inbox (2xx without a commit)");
      details.add("Kafka: " + result.describe());
      details.add(consumers);
      if (!unapplied.isEmpty()) {
        details.add(
            "not applied (first 20): " + unapplied.subList(0, Math.min(20, unapplied.size())));
      }
      boolean pass =
          settled
              && slow == 0
              && timeouts == 0
              && notCommitted == 0
              && result.exact()
              && consumerCaughtUp
              && notApplied == 0
              && deadLettered == 0;
      return new Verdict(
          name,
          pass,
          answers
              + "; "
              + notCommitted
              + " 2xx without a commit; "
              + result.describe()
              + "; "
              + consumers,
          details);
    } finally {
      backlog.stop();
      load.close();
    }
  }

  /**
   * Organisations events published straight to the topic (as webhook-ingest-service publishes
   * them), {@link #RATE} per second through the whole phase. Events that came through the webhook
   * endpoint cannot reach Kafka while the database is away (the relay reads its WAL), so without
   * these the consumers would meet the fault with nothing to consume; with them they are in the
   * middle of their work when it strikes, as consumers with a backlog are.
   */
  static final class Backlog {
    static final int RATE = 20;

    final List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Stack stack;
    private final String tag;
    private volatile boolean running;
    private Thread thread;

    Backlog(Stack stack, String tag) {
      this.stack = stack;
      this.tag = tag;
    }

    void start() {
      running = true;
      thread =
          Thread.ofPlatform()
              .name("organisations-backlog")
              .daemon()
              .start(
                  () -> {
                    try (var producer = IngestRecords.producer(stack.kafka.bootstrapServers())) {
                      for (long n = 1; running; n++) {
                        String id = "EV" + stack.runId + "D" + tag + "N" + n;
                        var event = Stack.organisationEvent(id, "OR" + stack.runId + "D" + tag + n);
                        producer
                            .send(IngestRecords.record(IngestRecords.JSON.readTree(event.json())))
                            .get();
                        published.add(id);
                        Thread.sleep(1000 / RATE);
                      }
                    } catch (Exception e) {
                      if (running) {
                        FaultHarness.say("  backlog producer stopped: %s", e);
                      }
                    }
                  });
    }

    void stop() throws InterruptedException {
      running = false;
      if (thread != null) {
        thread.join();
      }
    }
  }

  /** Payments events, and one organisations event (ids {@code <prefix>o…}) in every ten. */
  private static Supplier<SignedWebhooks.Webhook> mixed(
      Stack stack, WebhookLoad load, String tag, Set<String> organisationIds) {
    var payments = load.payments(tag);
    var count = new AtomicLong();
    return () -> {
      long n = count.incrementAndGet();
      if (n % ORGANISATION_EVERY != 0) {
        return payments.get();
      }
      // Upper case: webhook-ingest quarantines an id GoCardless would not issue (EV + [0-9A-Z]). A
      // payment's id may look the same (its counter is base 36), so these ids are kept by value.
      String id = stack.prefix(tag) + "O" + n;
      organisationIds.add(id);
      String organisation = "OR" + stack.runId + tag + "O" + n;
      return stack.webhooks.deliver(tag, List.of(Stack.organisationEvent(id, organisation)));
    };
  }

  private static long notInInbox(Stack stack, Set<String> ids) throws SQLException {
    try (var connection = stack.postgres.connect("webhook_ingest_service");
        var query =
            connection.prepareStatement(
                "select count(*) from gocardless_event where event_id = any(?)")) {
      query.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
      try (var rows = query.executeQuery()) {
        rows.next();
        return ids.size() - rows.getLong(1);
      }
    }
  }

  /** The events of {@code ids} without a {@code consumed_message} row of oauth-service. */
  private static List<String> unapplied(Stack stack, List<String> ids) throws SQLException {
    try (var connection = stack.postgres.connect("oauth_service");
        var query =
            connection.prepareStatement(
                "select id from unnest(?::varchar[]) as id where not exists (select 1 from"
                    + " consumed_message c where c.consumer = 'oauth-service' and c.event_id = id)"
                    + " order by id")) {
      query.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
      var unapplied = new ArrayList<String>();
      try (var rows = query.executeQuery()) {
        while (rows.next()) {
          unapplied.add(rows.getString(1));
        }
      }
      return unapplied;
    }
  }

  private static long consumed(Stack stack, List<String> ids) throws SQLException {
    try (var connection = stack.postgres.connect("oauth_service");
        var query =
            connection.prepareStatement(
                "select count(*) from consumed_message where consumer = 'oauth-service'"
                    + " and event_id = any(?)")) {
      query.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
      try (var rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static boolean awaitConsumed(Stack stack, List<String> ids, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (consumed(stack, ids) == ids.size()) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }
}
