package io.paybridge.webhookingest.webhook;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Group commit: deliveries that wait for the database at the same time are written in one
 * transaction ({@link WebhookIngestion#ingestAll}), and each caller is answered once the commit
 * that holds its delivery is done, or with the failure that ended it.
 *
 * <p>In front of it, the admission limit: at most {@code admission.max-pending-deliveries}
 * deliveries (and {@code max-pending-events} events) are admitted and unanswered at once. Past it,
 * a delivery is refused at once ({@code ingest-saturated}), before anything of it is stored, rather
 * than queued behind the others for seconds: GoCardless delivers it again later.
 *
 * <p>Why a failure of a group is retried delivery by delivery: the rows of one delivery may fail (a
 * constraint, a bug), and that must not cost its neighbours their acknowledgement. A failure that
 * means the database cannot be used ({@link WebhookRepository#meansStorageUnavailable}) is not
 * retried: it is every delivery's, and each is answered 503 as it would be alone.
 *
 * <p>The writers are platform threads of their own, so that they run on time when the request
 * threads (virtual) saturate the cores; each holds one pool connection while it writes.
 */
@Component
class GroupCommitter {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

  /** How long a caller still waits past its storage deadline for a group already being written. */
  private static final Duration ANSWER_GRACE = Duration.ofMillis(750);

  private final WebhookIngestion ingestion;
  private final WebhookMetrics metrics;
  private final Clock clock;
  private final Duration storageDeadline;
  private final int maxDeliveries;
  private final int maxEvents;
  private final long maxWaitNanos;
  private final int maxPendingEvents;
  private final Semaphore pendingDeliveries;
  private final Semaphore pendingEvents;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean stopping;

  GroupCommitter(
      WebhookIngestion ingestion,
      WebhookMetrics metrics,
      WebhookProperties properties,
      Clock clock) {
    this.ingestion = ingestion;
    this.metrics = metrics;
    this.clock = clock;
    this.storageDeadline = properties.storageDeadline();
    var group = properties.groupCommit();
    this.maxDeliveries = group.maxDeliveries();
    this.maxEvents = group.maxEvents();
    this.maxWaitNanos = group.maxWait().toNanos();
    var admission = properties.admission();
    this.maxPendingEvents = admission.maxPendingEvents();
    this.pendingDeliveries = new Semaphore(admission.maxPendingDeliveries());
    this.pendingEvents = new Semaphore(admission.maxPendingEvents());
    metrics.pending(() -> admission.maxPendingDeliveries() - pendingDeliveries.availablePermits());
    for (int i = 0; i < group.writers(); i++) {
      Thread writer =
          Thread.ofPlatform().daemon().name("webhook-group-commit-" + i).unstarted(this::write);
      writers.add(writer);
      writer.start();
    }
  }

  /**
   * Admits one more delivery, or refuses it: called before its body is read, so that a refusal
   * costs as little as possible (past capacity, the work done for refused requests is taken from
   * the writers). Close the ticket once the delivery is answered.
   *
   * @throws WebhookRejectedException {@code SATURATED} when {@code max-pending-deliveries} are
   *     admitted and not answered yet
   */
  Ticket admit() {
    if (!pendingDeliveries.tryAcquire()) {
      throw saturated();
    }
    return new Ticket();
  }

  /**
   * A delivery's place under the admission limit, held until it is answered. Used by three threads
   * in turn: the selector that admits the delivery, the request thread that counts its events, and
   * the one that completes its answer; it does not rely on them to publish its fields.
   */
  final class Ticket implements AutoCloseable {

    private volatile int events;
    private final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        pendingEvents.release(events);
        pendingDeliveries.release();
      }
    }
  }

  /**
   * Stores {@code body} in the next group and returns once that group's transaction committed.
   *
   * @param ticket the delivery's admission ({@link #admit}), still open
   * @throws WebhookRejectedException {@code SATURATED} when {@code max-pending-events} events are
   *     admitted and not answered yet: nothing stored
   * @throws RuntimeException what ended the delivery's transaction (or its lone retry): nothing
   *     acknowledged
   */
  WebhookIngestion.IngestResult submit(
      Ticket ticket, WebhookIngestion.WebhookDelivery delivery, ParsedBody body) {
    int events =
        Math.min(
            maxPendingEvents, body instanceof ParsedBody.Batch batch ? batch.events().size() : 0);
    if (!pendingEvents.tryAcquire(events)) {
      throw saturated();
    }
    ticket.events = events;
    if (stopping) {
      throw new CannotCreateTransactionException("The service is stopping");
    }
    var pending = new Pending(new WebhookIngestion.Submission(delivery, body), events);
    queue.add(pending);
    return pending.await();
  }

  private WebhookRejectedException saturated() {
    return new WebhookRejectedException(
        WebhookProblem.SATURATED,
        "The service is at capacity: more deliveries wait for the database than it admits");
  }

  /** A writer: takes a group from the queue, writes it, answers its callers; until stopped. */
  private void write() {
    Pending carried = null;
    while (true) {
      Pending first = carried;
      // A delivery carried over from the last group is already this writer's (taken).
      boolean taken = carried != null;
      carried = null;
      try {
        if (first == null) {
          first = queue.poll(100, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        if (queue.isEmpty()) {
          return;
        }
        continue;
      }
      if (first == null) {
        if (stopping && queue.isEmpty()) {
          return;
        }
        continue;
      }
      if (!taken && !first.take()) {
        continue;
      }
      var group = new ArrayList<Pending>();
      group.add(first);
      int events = first.events;
      long lingerUntil = first.enqueuedNanos + maxWaitNanos;
      while (group.size() < maxDeliveries) {
        Pending next;
        long linger = lingerUntil - System.nanoTime();
        try {
          next = linger > 0 ? queue.poll(linger, TimeUnit.NANOSECONDS) : queue.poll();
        } catch (InterruptedException e) {
          next = queue.poll();
        }
        if (next == null) {
          break;
        }
        if (!next.take()) {
          continue;
        }
        if (events + next.events > maxEvents) {
          carried = next; // the first of this writer's next group
          break;
        }
        group.add(next);
        events += next.events;
      }
      try {
        commit(group, events);
      } catch (RuntimeException | Error e) {
        // Never leave a caller waiting on a writer that died.
        group.forEach(pending -> pending.fail(e));
        log.error("Could not write a group of webhook deliveries", e);
      }
    }
  }

  private void commit(List<Pending> group, int events) {
    Instant now = clock.instant();
    long started = System.nanoTime();
    var live = new ArrayList<Pending>(group.size());
    for (Pending pending : group) {
      metrics.groupWait(Duration.ofNanos(started - pending.enqueuedNanos));
      if (now.isBefore(pending.submission.delivery().receivedAt().plus(storageDeadline))) {
        live.add(pending);
      } else {
        pending.fail(
            new QueryTimeoutException(
                "The storage deadline passed before the delivery's transaction could start"));
      }
    }
    if (live.isEmpty()) {
      return;
    }
    metrics.group(live.size(), events);
    long transactionStarted = System.nanoTime();
    try {
      var results = ingestion.ingestAll(live.stream().map(p -> p.submission).toList());
      metrics.groupTransaction(Duration.ofNanos(System.nanoTime() - transactionStarted));
      for (int i = 0; i < live.size(); i++) {
        live.get(i).answer.complete(results.get(i));
      }
    } catch (RuntimeException | Error e) {
      if (live.size() == 1 || WebhookRepository.meansStorageUnavailable(e)) {
        live.forEach(pending -> pending.fail(e));
        return;
      }
      // One delivery's rows may have failed the group: each is written again alone, so that the
      // others are stored and only that one is answered with its failure.
      log.warn(
          "A group of {} webhook deliveries failed ({}): writing each alone",
          live.size(),
          e.toString());
      metrics.retriedAlone(live.size());
      for (Pending pending : live) {
        try {
          pending.answer.complete(ingestion.ingestAll(List.of(pending.submission)).getFirst());
        } catch (RuntimeException | Error alone) {
          pending.fail(alone);
        }
      }
    }
  }

  /**
   * Lets the writers store what is queued, then stops them. Runs after the web server's graceful
   * shutdown (no request is in flight any more) and before the data source closes.
   */
  @PreDestroy
  void stop() throws InterruptedException {
    stopping = true;
    for (Thread writer : writers) {
      writer.join(Duration.ofSeconds(10));
    }
  }

  /** A delivery waiting in the queue, then in a group, for its answer. */
  private final class Pending {

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int ABANDONED = 2;

    final WebhookIngestion.Submission submission;
    final int events;
    final long enqueuedNanos = System.nanoTime();
    final CompletableFuture<WebhookIngestion.IngestResult> answer = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    Pending(WebhookIngestion.Submission submission, int events) {
      this.submission = submission;
      this.events = events;
    }

    /** Claimed by a writer; false if its caller gave up on it first. */
    boolean take() {
      return state.compareAndSet(QUEUED, TAKEN);
    }

    void fail(Throwable failure) {
      answer.completeExceptionally(failure);
    }

    /**
     * The answer, by the storage deadline and a short grace: a delivery no writer has taken by then
     * is given up (and never written); one taken but not answered by then is answered as not
     * stored, although its group may still commit (the redelivery is then a duplicate, published
     * once). Its transaction is aborted at the deadline, but a writer can hold a group while it
     * waits for a pool connection (a hung database: every idle connection's check takes its
     * validation timeout), and the caller is not kept waiting for that: a webhook is answered
     * within 5 s.
     */
    WebhookIngestion.IngestResult await() {
      Instant deadline =
          submission.delivery().receivedAt().plus(storageDeadline).plus(ANSWER_GRACE);
      try {
        return answer.get(
            Math.max(0, Duration.between(clock.instant(), deadline).toNanos()),
            TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (state.compareAndSet(QUEUED, ABANDONED)) {
          throw new QueryTimeoutException(
              "No writer took the delivery before its storage deadline: not stored");
        }
        throw new QueryTimeoutException("The delivery's transaction did not end in time", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QueryTimeoutException("Interrupted while the delivery was being stored", e);
      }
    }
  }
}
