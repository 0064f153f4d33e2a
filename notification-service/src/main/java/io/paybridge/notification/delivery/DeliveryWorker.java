package io.paybridge.notification.delivery;

import io.paybridge.notification.email.EmailSender;
import io.paybridge.notification.endpoint.EndpointDirectory;
import io.paybridge.notification.endpoint.EndpointKind;
import io.paybridge.notification.endpoint.EndpointTarget;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.MailException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Attempts due deliveries. One dispatcher thread claims them from PostgreSQL ({@code FOR UPDATE
 * SKIP LOCKED}, so instances share the work) and runs each attempt on a virtual thread of its own.
 *
 * <p>Fairness: a claim takes at most {@code per-endpoint-concurrency} deliveries per endpoint,
 * oldest due first, and none for an endpoint that already has that many in flight here; an attempt
 * also holds one of its endpoint's {@code per-endpoint-concurrency} permits. A slow or dead
 * endpoint so occupies a few virtual threads and its own connections, never the others' turn.
 */
@Component
class DeliveryWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

  private final DeliveryRepository deliveries;
  private final DeliveryOutcomes outcomes;
  private final EndpointDirectory endpoints;
  private final WebhookSender webhooks;
  private final EmailSender emails;
  private final DeliveryWakeUp wakeUp;
  private final DeliveryProperties properties;
  private final ObjectMapper mapper;
  private final Clock clock;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentHashMap<UUID, AtomicInteger> inFlightByEndpoint =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Semaphore> permits = new ConcurrentHashMap<>();
  private final BlockingQueue<DeliveryOutcomes.Recorded> results = new LinkedBlockingQueue<>();
  private volatile boolean running;
  private volatile boolean recording;
  private Thread dispatcher;
  private Thread recorder;
  private ExecutorService attempts;

  DeliveryWorker(
      DeliveryRepository deliveries,
      DeliveryOutcomes outcomes,
      EndpointDirectory endpoints,
      WebhookSender webhooks,
      EmailSender emails,
      DeliveryWakeUp wakeUp,
      DeliveryProperties properties,
      ObjectMapper mapper,
      Clock clock) {
    this.deliveries = deliveries;
    this.outcomes = outcomes;
    this.endpoints = endpoints;
    this.webhooks = webhooks;
    this.emails = emails;
    this.wakeUp = wakeUp;
    this.properties = properties;
    this.mapper = mapper;
    this.clock = clock;
  }

  @Override
  public void start() {
    if (!properties.workerEnabled()) {
      return;
    }
    attempts =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-", 0).factory());
    running = true;
    recording = true;
    recorder = Thread.ofPlatform().name("delivery-recorder").start(this::record);
    dispatcher = Thread.ofPlatform().name("delivery-dispatcher").start(this::dispatch);
  }

  @Override
  public void stop() {
    running = false;
    if (dispatcher == null) {
      return;
    }
    dispatcher.interrupt();
    attempts.shutdown();
    try {
      // Attempts still running after this are abandoned: their leases run out and another
      // instance retries them under the same webhook-id.
      if (!attempts.awaitTermination(5, TimeUnit.SECONDS)) {
        attempts.shutdownNow();
      }
      dispatcher.join(5_000);
      // The outcomes of finished attempts are recorded before the database goes away.
      recording = false;
      recorder.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** After the web server and the listeners; stopped before them. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }

  private void dispatch() {
    while (running) {
      try {
        int free = properties.maxInFlight() - inFlight.get();
        int wanted = Math.min(properties.batchSize(), free);
        int claimed = 0;
        if (wanted > 0) {
          List<UUID> saturated =
              inFlightByEndpoint.entrySet().stream()
                  .filter(e -> e.getValue().get() >= properties.perEndpointConcurrency())
                  .map(e -> e.getKey())
                  .toList();
          var due =
              deliveries.claim(
                  saturated,
                  properties.perEndpointConcurrency(),
                  wanted,
                  clock.instant(),
                  properties.lease());
          claimed = due.size();
          if (claimed > 0) {
            // One read of the endpoints and their keys for the whole batch.
            var endpointIds = due.stream().map(d -> d.endpointId()).distinct().toList();
            Map<String, EndpointTarget> targets = endpoints.targets(endpointIds);
            Map<String, List<byte[]>> keys = endpoints.signingKeys(endpointIds);
            for (var delivery : due) {
              inFlight.incrementAndGet();
              inFlightByEndpoint
                  .computeIfAbsent(
                      UUID.fromString(delivery.endpointId()), id -> new AtomicInteger())
                  .incrementAndGet();
              EndpointTarget target = targets.get(delivery.endpointId());
              List<byte[]> signing = keys.getOrDefault(delivery.endpointId(), List.of());
              attempts.execute(() -> attempt(delivery, target, signing));
            }
          }
        }
        if (claimed == 0 || claimed < wanted) {
          wakeUp.await(properties.pollInterval());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("Claiming due deliveries failed: {}", e.toString());
        try {
          Thread.sleep(properties.pollInterval().toMillis());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void attempt(
      DeliveryRepository.Claimed delivery, EndpointTarget endpoint, List<byte[]> keys) {
    Semaphore permit =
        permits.computeIfAbsent(
            delivery.endpointId(), id -> new Semaphore(properties.perEndpointConcurrency()));
    try {
      if (endpoint == null) {
        return; // deleted meanwhile: its deliveries went with it
      }
      permit.acquire();
      try {
        Instant at = clock.instant();
        AttemptResult result = send(delivery, endpoint, keys, at);
        results.add(new DeliveryOutcomes.Recorded(delivery, endpoint, result, at));
      } finally {
        permit.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // Its lease runs out and it is attempted again, same webhook-id.
      log.warn(
          "Delivery {} attempt {} could not be completed: {}",
          delivery.id(),
          delivery.attempt(),
          e.toString());
    } finally {
      inFlight.decrementAndGet();
      var count = inFlightByEndpoint.get(UUID.fromString(delivery.endpointId()));
      if (count != null) {
        count.decrementAndGet();
      }
      wakeUp.wake();
    }
  }

  /** Records finished attempts, as many as are waiting in one transaction. */
  private void record() {
    var batch = new ArrayList<DeliveryOutcomes.Recorded>();
    while (recording || !results.isEmpty()) {
      try {
        var first = results.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        results.drainTo(batch, properties.batchSize() - 1);
        outcomes.recordAll(batch);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // Not recorded: the deliveries stay claimed until their leases run out, then are
        // attempted again under the same webhook-id.
        log.warn("Recording {} attempt outcomes failed: {}", batch.size(), e.toString());
      } finally {
        batch.clear();
      }
    }
  }

  private AttemptResult send(
      DeliveryRepository.Claimed delivery, EndpointTarget endpoint, List<byte[]> keys, Instant at) {
    String messageId = webhookId(delivery.id());
    if (endpoint.kind() == EndpointKind.EMAIL) {
      long start = System.nanoTime();
      try {
        emails.send(
            endpoint.email(),
            messageId,
            delivery.eventType(),
            mapper.readTree(delivery.body()).path("data"));
        return new AttemptResult(
            AttemptResult.Outcome.SUCCEEDED,
            null,
            Duration.ofNanos(System.nanoTime() - start),
            null,
            null);
      } catch (MailException e) {
        return AttemptResult.failed(
            AttemptResult.Outcome.SMTP_ERROR,
            Duration.ofNanos(System.nanoTime() - start),
            e.getClass().getSimpleName());
      }
    }
    byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
    long timestamp = at.getEpochSecond();
    String signature = WebhookSignature.sign(messageId, timestamp, body, keys);
    return webhooks.send(endpoint.url(), messageId, timestamp, signature, body);
  }

  /** The {@code webhook-id} of a delivery: the same on every attempt and replay of it. */
  static String webhookId(UUID delivery) {
    return "msg_" + delivery.toString().replace("-", "");
  }
}
