package io.paybridge.bench;

import io.paybridge.platform.testsupport.SignedWebhooks;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends signed webhooks to the service over HTTP/1.1 ({@link PlainHttp}, one virtual thread per
 * request) and records ack latencies in microseconds.
 *
 * <ul>
 *   <li>{@link #openLoop}: requests are due at a fixed rate whatever the service does, and each
 *       latency is measured from the request's <em>intended</em> send time, so a stall is charged
 *       to every request it delayed (no coordinated omission).
 *   <li>{@link #closedLoop}: a fixed number of clients, each sending its next request when the
 *       previous one is answered: the service's saturation throughput.
 * </ul>
 */
final class LoadGenerator {

  private final PlainHttp http;
  private final SignedWebhooks webhooks;
  private final int maxInFlight;

  /** The live counters and histograms of one phase. */
  static final class Phase {
    final String name;
    final String tag;
    final String mode;
    final int eventsPerWebhook;
    final Histogram ackMicros = new ConcurrentHistogram(Duration.ofMinutes(5).toNanos() / 1000, 3);

    /**
     * Time to the answer of the requests refused by design (503 {@code ingest-saturated} or {@code
     * relay-behind}), from the request's actual send: how fast the service sheds load.
     */
    final Histogram refusedMicros =
        new ConcurrentHistogram(Duration.ofMinutes(5).toNanos() / 1000, 3);

    /**
     * The 204s' latency from the request's actual send: apart from {@link #ackMicros} (from the
     * intended time) when the generator itself cannot send at the phase's rate.
     */
    final Histogram ackFromSendMicros =
        new ConcurrentHistogram(Duration.ofMinutes(5).toNanos() / 1000, 3);

    /** The same latencies, read and reset every progress interval for the timeline. */
    final org.HdrHistogram.Recorder interval =
        new org.HdrHistogram.Recorder(Duration.ofMinutes(5).toNanos() / 1000, 3);

    /** {@link #refusedMicros}, read and reset every progress interval for the timeline. */
    final org.HdrHistogram.Recorder refusedInterval =
        new org.HdrHistogram.Recorder(Duration.ofMinutes(5).toNanos() / 1000, 3);

    /** {@link #ackFromSendMicros}, read and reset every progress interval for the timeline. */
    final org.HdrHistogram.Recorder intervalFromSend =
        new org.HdrHistogram.Recorder(Duration.ofMinutes(5).toNanos() / 1000, 3);

    /** The phase's progress intervals, in order. */
    final java.util.List<PhaseWindow> timeline =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    /** Event id to the nanoTime its webhook's 204 was received. */
    final Map<String, Long> ackedAt = new ConcurrentHashMap<>();

    /**
     * How late the generator itself sent a request (its actual send after its intended time), the
     * most in the current progress interval: a generator that stalls (its JVM's GC, no core free)
     * then sends the requests it owes at once, a burst the service did not cause.
     */
    final AtomicLong sendLateNanos = new AtomicLong();

    final AtomicLong lastAck = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    volatile long startNanos;
    volatile long endNanos;

    /**
     * @param tag a short code put in event ids (alphanumeric)
     * @param mode how the load was offered, for the report
     */
    Phase(String name, String tag, String mode, int eventsPerWebhook) {
      this.name = name;
      this.tag = tag;
      this.mode = mode;
      this.eventsPerWebhook = eventsPerWebhook;
    }

    long errorCount() {
      return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }
  }

  LoadGenerator(URI endpoint, SignedWebhooks webhooks, Duration requestTimeout, int maxInFlight) {
    this.http = new PlainHttp(endpoint, requestTimeout);
    this.webhooks = webhooks;
    this.maxInFlight = maxInFlight;
  }

  /** Sends {@code rate} webhooks per second for {@code duration}, then waits for the answers. */
  Phase openLoop(Phase phase, double rate, Duration duration) throws InterruptedException {
    long interval = Math.round(1e9 / rate);
    var permits = new Semaphore(maxInFlight);
    phase.startNanos = System.nanoTime() + 20_000_000;
    long end = phase.startNanos + duration.toNanos();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; ; i++) {
        long intended = phase.startNanos + i * interval;
        if (intended >= end) {
          break;
        }
        long wait;
        while ((wait = intended - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        // When maxInFlight requests are outstanding the next one waits here; its latency still
        // counts from its intended time.
        permits.acquire();
        executor.execute(
            () -> {
              try {
                send(phase, intended);
              } finally {
                permits.release();
              }
            });
      }
    }
    phase.endNanos = System.nanoTime();
    return phase;
  }

  /** {@code clients} clients send back to back for {@code duration}. */
  Phase closedLoop(Phase phase, int clients, Duration duration) throws InterruptedException {
    phase.startNanos = System.nanoTime();
    long end = phase.startNanos + duration.toNanos();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        executor.execute(
            () -> {
              long now;
              while ((now = System.nanoTime()) < end) {
                if (!send(phase, now)) {
                  // Refused by design (relay behind, or saturated): back off a little (GoCardless
                  // retries
                  // much later) rather than hammer the service with deliveries it refuses.
                  LockSupport.parkNanos(SHED_BACKOFF.toNanos());
                }
              }
            });
      }
    }
    phase.endNanos = System.nanoTime();
    return phase;
  }

  /** How long a closed-loop client waits after a {@code relay-behind} refusal. */
  static final Duration SHED_BACKOFF = Duration.ofMillis(100);

  /** The error reason of a 503 {@code relay-behind}: refused by design, nothing stored. */
  static final String SHED = "HTTP 503 relay-behind";

  /** The error reason of a 503 {@code ingest-saturated}: refused by design, nothing stored. */
  static final String SATURATED = "HTTP 503 ingest-saturated";

  /** The error reason of a 503 {@code storage-unavailable}: not stored within the deadline. */
  static final String STORAGE_UNAVAILABLE = "HTTP 503 storage-unavailable";

  /** Sends one webhook; false when it was refused by design (relay behind, or saturated). */
  private boolean send(Phase phase, long intended) {
    var webhook = webhooks.next(phase.tag, phase.eventsPerWebhook);
    phase.sent.increment();
    phase.inFlight.incrementAndGet();
    long sentAt = System.nanoTime();
    phase.sendLateNanos.accumulateAndGet(sentAt - intended, Math::max);
    try {
      var response =
          http.post(
              webhook.body(),
              "Content-Type",
              "application/json",
              "User-Agent",
              "gocardless-webhook-service/1.1",
              "Webhook-Signature",
              webhook.signature());
      long done = System.nanoTime();
      if (response.status() == 204) {
        long micros = Math.max(0, (done - intended) / 1000);
        phase.ackMicros.recordValue(micros);
        long fromSend = Math.max(0, (done - sentAt) / 1000);
        phase.ackFromSendMicros.recordValue(fromSend);
        phase.interval.recordValue(micros);
        phase.intervalFromSend.recordValue(fromSend);
        for (var event : webhook.events()) {
          phase.ackedAt.put(event.id(), done);
        }
        phase.acked.increment();
        phase.lastAck.accumulateAndGet(done, Math::max);
      } else if (response.status() == 503 && response.body().contains("/relay-behind")) {
        refused(phase, done - sentAt);
        error(phase, SHED);
        return false;
      } else if (response.status() == 503 && response.body().contains("/ingest-saturated")) {
        refused(phase, done - sentAt);
        error(phase, SATURATED);
        return false;
      } else if (response.status() == 503 && response.body().contains("/storage-unavailable")) {
        // Not by design: the service could not store it within its deadline (a failure).
        error(phase, STORAGE_UNAVAILABLE);
      } else {
        error(phase, "HTTP " + response.status());
      }
    } catch (PlainHttp.TimeoutException e) {
      error(phase, "timeout");
    } catch (IOException e) {
      error(phase, e.getClass().getSimpleName());
    } finally {
      phase.inFlight.decrementAndGet();
    }
    return true;
  }

  private static void refused(Phase phase, long nanos) {
    long micros = Math.max(0, nanos / 1000);
    phase.refusedMicros.recordValue(micros);
    phase.refusedInterval.recordValue(micros);
  }

  private static void error(Phase phase, String reason) {
    phase.errors.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }
}
