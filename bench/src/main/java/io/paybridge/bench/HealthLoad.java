package io.paybridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Bursts of concurrent health requests to the service's management port, next to the webhook load:
 * every {@code interval}, {@code concurrency} requests are sent at once (all in flight together, as
 * when many probes and dashboards ask at the same moment), and the next burst starts at the next
 * tick or when the last answer arrives, whichever is later.
 */
final class HealthLoad implements AutoCloseable {

  private final HttpRequest request;
  private final int concurrency;
  private final Duration interval;
  private final HttpClient http;
  private final AtomicBoolean running = new AtomicBoolean();
  private final Recorder latencyMicros = new Recorder(3);
  private final AtomicLong bursts = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final Map<String, Long> failures = new TreeMap<>();
  private Thread driver;

  HealthLoad(URI health, int concurrency, Duration interval) {
    this.request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build();
    this.concurrency = concurrency;
    this.interval = interval;
    this.http =
        HttpClient.newBuilder()
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** Sends one burst to open the connections and warm the endpoint up, and discards its numbers. */
  void warmUp() {
    burst();
    latencyMicros.reset();
    synchronized (failures) {
      failures.clear();
    }
    answered.set(0);
  }

  void start() {
    running.set(true);
    bursts.set(0);
    answered.set(0);
    latencyMicros.reset();
    synchronized (failures) {
      failures.clear();
    }
    driver =
        Thread.ofPlatform()
            .name("health-load")
            .daemon()
            .start(
                () -> {
                  long next = System.nanoTime();
                  while (running.get()) {
                    burst();
                    bursts.incrementAndGet();
                    next += interval.toNanos();
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      try {
                        Thread.sleep(Duration.ofNanos(wait));
                      } catch (InterruptedException e) {
                        return;
                      }
                    } else {
                      next = System.nanoTime();
                    }
                  }
                });
  }

  private void burst() {
    var inFlight = new ArrayList<CompletableFuture<?>>(concurrency);
    for (int i = 0; i < concurrency; i++) {
      long sent = System.nanoTime();
      inFlight.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .handle(
                  (response, error) -> {
                    latencyMicros.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
                    if (error != null) {
                      fail(error.getClass().getSimpleName());
                    } else if (response.statusCode() != 200) {
                      fail("HTTP " + response.statusCode());
                    } else {
                      answered.incrementAndGet();
                    }
                    return null;
                  }));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
  }

  private void fail(String reason) {
    synchronized (failures) {
      failures.merge(reason, 1L, Long::sum);
    }
  }

  /** Stops after the current burst and describes what was sent. */
  Summary stop() throws InterruptedException {
    running.set(false);
    if (driver != null) {
      driver.join();
    }
    var histogram = latencyMicros.getIntervalHistogram();
    synchronized (failures) {
      return new Summary(
          concurrency,
          interval,
          bursts.get(),
          answered.get(),
          new TreeMap<>(failures),
          PhaseResult.ms(histogram, 50),
          PhaseResult.ms(histogram, 99),
          PhaseResult.max(histogram));
    }
  }

  record Summary(
      int concurrency,
      Duration interval,
      long bursts,
      long answered,
      Map<String, Long> failures,
      String p50,
      String p99,
      String max) {

    String describe() {
      return String.format(
          "%d bursts of %d concurrent requests, one every %d ms: %d answered 200, failures %s;"
              + " health latency p50 %s ms, p99 %s ms, max %s ms",
          bursts,
          concurrency,
          interval.toMillis(),
          answered,
          failures.isEmpty() ? "none" : failures,
          p50,
          p99,
          max);
    }
  }

  @Override
  public void close() {
    running.set(false);
    http.close();
  }
}
