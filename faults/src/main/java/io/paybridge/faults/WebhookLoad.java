package io.paybridge.faults;

import io.paybridge.platform.testsupport.SignedWebhooks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends signed single-event webhooks at a fixed rate, and retries each one until it gets a 2xx, as
 * GoCardless does (a delivery that gets anything else, or no answer within 10 s, is sent again with
 * the same body). Every attempt is recorded: when it was sent, what it got and how long the answer
 * took, so a scenario can check both the end result and how the service answered during the fault.
 *
 * <p>At most {@code senderConnections} attempts are in flight at once, as a sender's pool of
 * connections bounds them; the others wait for a free one, first come first served. Unbounded, a
 * backlog of tens of thousands of retries each opened a connection of its own: the harness then
 * used more than half of the machine's two cores, two thirds of it in the kernel, and the service
 * under test got the rest (docs/reliability.md, 2026-12-01 15:17).
 */
final class WebhookLoad {

  /** GoCardless gives up on an answer after 10 s and counts the attempt as failed. */
  static final Duration GOCARDLESS_TIMEOUT = Duration.ofSeconds(10);

  static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(8);

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          // The client's own default is a cached pool of platform threads: hundreds of them
          // under a backlog of retries.
          .executor(executor)
          .build();
  private final SignedWebhooks webhooks;
  private final Supplier<List<URI>> endpoints;
  private final Duration retryDelay;
  private final Duration giveUpAfter;
  private final Semaphore connections;
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final LongAdder ackedCount = new LongAdder();
  private final LongAdder gaveUpCount = new LongAdder();

  /** Every delivery sent, in order of first send. */
  final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());

  /**
   * Answers seen: {@code 204}, {@code 503 ingest-saturated}, {@code timeout}, {@code
   * ConnectException}, ...
   */
  final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

  private volatile boolean running;
  private Thread pacer;

  /** One answer (or failure) of one attempt. */
  record Attempt(Instant sentAt, String outcome, long millis) {
    boolean ok() {
      return outcome.startsWith("2");
    }
  }

  /** A webhook and all its attempts; {@code ackedAt} is set by the first 2xx. */
  static final class Delivery {
    final SignedWebhooks.Webhook webhook;
    final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
    volatile Instant ackedAt;
    volatile boolean gaveUp;

    Delivery(SignedWebhooks.Webhook webhook) {
      this.webhook = webhook;
    }

    boolean acked() {
      return ackedAt != null;
    }

    List<String> eventIds() {
      return webhook.events().stream().map(SignedWebhooks.Event::id).toList();
    }
  }

  /**
   * @param settings the first retry's delay ({@code retryDelay}) and the bound on attempts in
   *     flight ({@code senderConnections}, 0: none)
   */
  WebhookLoad(
      SignedWebhooks webhooks,
      Supplier<List<URI>> endpoints,
      FaultSettings settings,
      Duration giveUpAfter) {
    this.webhooks = webhooks;
    this.endpoints = endpoints;
    this.retryDelay = settings.retryDelay();
    this.giveUpAfter = giveUpAfter;
    this.connections =
        new Semaphore(
            settings.senderConnections() > 0 ? settings.senderConnections() : Integer.MAX_VALUE,
            true);
  }

  /**
   * Starts sending {@code rate} webhooks per second made by {@code next} until {@link
   * #stopSending()}.
   */
  void start(double rate, Supplier<SignedWebhooks.Webhook> next) {
    running = true;
    long interval = Math.round(1e9 / rate);
    pacer =
        Thread.ofPlatform()
            .name("webhook-pacer")
            .daemon()
            .start(
                () -> {
                  long start = System.nanoTime();
                  for (long i = 0; running; i++) {
                    long wait;
                    while ((wait = start + i * interval - System.nanoTime()) > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    if (!running) {
                      break;
                    }
                    submit(next.get());
                  }
                });
  }

  /** A payments event of a new payment, id tagged with {@code tag}. */
  Supplier<SignedWebhooks.Webhook> payments(String tag) {
    return () -> webhooks.next(tag, 1);
  }

  /** Sends one webhook (retried until 2xx) in the background; returns its delivery. */
  Delivery submit(SignedWebhooks.Webhook webhook) {
    var delivery = new Delivery(webhook);
    deliveries.add(delivery);
    executor.execute(() -> deliver(delivery));
    return delivery;
  }

  /** Stops making new webhooks; those sent keep being retried. */
  void stopSending() throws InterruptedException {
    running = false;
    if (pacer != null) {
      pacer.join();
    }
  }

  /**
   * Waits until every delivery has its 2xx (or was given up), at most {@code timeout}; says every
   * 10 s how many are still waiting.
   */
  boolean awaitSettled(Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long nextReport = start + PROGRESS_EVERY.toNanos();
    while (System.nanoTime() < deadline) {
      if (unsettled() == 0) {
        return true;
      }
      if (System.nanoTime() >= nextReport) {
        nextReport += PROGRESS_EVERY.toNanos();
        FaultHarness.say(
            "  waiting for 2xx: %d webhooks without one after %d s (%d acknowledged)",
            unsettled(), (System.nanoTime() - start) / 1_000_000_000, acked());
      }
      Thread.sleep(200);
    }
    return unsettled() == 0;
  }

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  /**
   * The webhooks without a 2xx: how many were given up, and what all their attempts got ({@code "12
   * given up; their attempts: {connect-timeout=40, 503 ingest-saturated=7}"}), so a failed ending
   * says where the retries went.
   */
  String describeUnsettled() {
    var outcomes = new TreeMap<String, Long>();
    long waiting = 0;
    long gaveUp = 0;
    for (var delivery : snapshot()) {
      // Attempts first: a delivery acknowledged meanwhile has its 2xx among them, and is left out.
      var attempts = List.copyOf(delivery.attempts);
      if (delivery.acked()) {
        continue;
      }
      waiting++;
      gaveUp += delivery.gaveUp ? 1 : 0;
      attempts.forEach(a -> outcomes.merge(a.outcome(), 1L, Long::sum));
    }
    return waiting + " without a 2xx, " + gaveUp + " given up; their attempts: " + outcomes;
  }

  // Counted as they happen: the waits poll these every 200 ms over tens of thousands of deliveries.
  long unsettled() {
    return deliveries.size() - ackedCount.sum() - gaveUpCount.sum();
  }

  long acked() {
    return ackedCount.sum();
  }

  List<Delivery> snapshot() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  private void deliver(Delivery delivery) {
    long giveUp = System.nanoTime() + giveUpAfter.toNanos();
    while (true) {
      List<URI> targets = endpoints.get();
      URI endpoint = targets.get(Math.floorMod(roundRobin.getAndIncrement(), targets.size()));
      Attempt attempt;
      try {
        connections.acquire();
      } catch (InterruptedException closed) {
        return; // the load was closed
      }
      try {
        attempt = attempt(endpoint, delivery.webhook);
      } finally {
        connections.release();
      }
      if (Thread.currentThread().isInterrupted()) {
        return; // the load was closed mid-attempt
      }
      if (attempt.ok()) {
        // Before the attempt is listed: whoever sees a 2xx among the attempts sees it acknowledged.
        delivery.ackedAt = attempt.sentAt().plusMillis(attempt.millis());
      }
      delivery.attempts.add(attempt);
      outcomes.computeIfAbsent(attempt.outcome(), k -> new LongAdder()).increment();
      if (attempt.ok()) {
        ackedCount.increment();
        return;
      }
      if (System.nanoTime() > giveUp) {
        delivery.gaveUp = true;
        gaveUpCount.increment();
        return;
      }
      // Doubling up to 8 s, with jitter: GoCardless backs off too (over hours; here seconds, so a
      // run stays short), and retries in lockstep would be a storm of the harness's own making.
      int failures = delivery.attempts.size();
      long delay =
          Math.min(retryDelay.toMillis() << Math.min(failures - 1, 10), MAX_RETRY_DELAY.toMillis())
              + ThreadLocalRandom.current().nextLong(250);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delay));
    }
  }

  private Attempt attempt(URI endpoint, SignedWebhooks.Webhook webhook) {
    var request =
        HttpRequest.newBuilder(endpoint)
            .timeout(GOCARDLESS_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "gocardless-webhook-service/1.1")
            .header("Webhook-Signature", webhook.signature())
            .POST(HttpRequest.BodyPublishers.ofByteArray(webhook.body()))
            .build();
    Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long begin = System.nanoTime();
    String outcome;
    try {
      outcome = outcomeOf(http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (java.net.http.HttpConnectTimeoutException e) {
      outcome = "connect-timeout"; // not accepted within 2 s
    } catch (HttpTimeoutException e) {
      outcome = "timeout"; // no answer within GoCardless's 10 s
    } catch (IOException e) {
      outcome = e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = "interrupted";
    }
    return new Attempt(sentAt, outcome, (System.nanoTime() - begin) / 1_000_000);
  }

  /**
   * The status, and for a refusal the last segment of its problem type ({@code 503 relay-behind}),
   * so that a verdict says which refusal it met, not only that there was one.
   */
  private static String outcomeOf(HttpResponse<String> response) {
    String status = String.valueOf(response.statusCode());
    if (response.statusCode() / 100 == 2) {
      return status;
    }
    try {
      String type = JSON.readTree(response.body()).path("type").asString("");
      return type.isEmpty() ? status : status + " " + type.substring(type.lastIndexOf('/') + 1);
    } catch (JacksonException notJson) {
      return status;
    }
  }

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** How many attempts so far got {@code outcome} ({@code "503 ingest-saturated"}, ...). */
  long count(String outcome) {
    var adder = outcomes.get(outcome);
    return adder == null ? 0 : adder.sum();
  }

  /** "204: 1200, 503 relay-behind: 30, ConnectException: 12" */
  String describeOutcomes() {
    var parts = new ArrayList<String>();
    outcomes.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> parts.add(e.getKey() + ": " + e.getValue().sum()));
    return String.join(", ", parts);
  }

  void close() {
    running = false;
    executor.shutdownNow();
  }
}
