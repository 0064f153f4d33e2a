package io.paybridge.simulator.webhooks;

import io.paybridge.simulator.events.Event;
import io.paybridge.simulator.internal.State;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * Batches events into webhooks ({@code {"events":[...],"meta":{"webhook_id":"WB..."}}}), signs each
 * body with {@code Webhook-Signature} = lower-case hex HMAC-SHA256 of the exact body bytes, POSTs
 * it to the configured URL and retries a failed delivery (non-2xx, redirect, timeout, connection
 * error) on the configured schedule (docs/gocardless/API.md §5.1). Events of one organisation go
 * together; a webhook carries at most 250 events.
 */
public final class WebhookSender implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WebhookSender.class.getName());
  private static final int MAX_EVENTS = 250;
  private static final int MAX_RESPONSE_BODY = 4096;

  private final State state;
  private final JsonMapper mapper;
  private final List<Duration> retryDelays;
  private final Duration timeout;
  private final Duration batchWindow;
  private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client;
  private volatile String url;
  private volatile String secret;

  /** An organisation's own endpoint (a merchant's webhook endpoint), overriding the app's. */
  private record Endpoint(String url, String secret) {}

  private final Map<String, Endpoint> organisationEndpoints =
      new java.util.concurrent.ConcurrentHashMap<>();

  public WebhookSender(
      State state,
      JsonMapper mapper,
      String url,
      String secret,
      List<Duration> retryDelays,
      Duration timeout,
      Duration batchWindow) {
    this.state = state;
    this.mapper = mapper;
    this.url = url;
    this.secret = secret;
    this.retryDelays = List.copyOf(retryDelays);
    this.timeout = timeout;
    this.batchWindow = batchWindow;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gocardless-simulator-webhooks");
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(deliveries)
            .build();
  }

  /** Changes where webhooks go and how they are signed (new deliveries and retries from now on). */
  public void configure(String newUrl, String newSecret) {
    this.url = newUrl;
    this.secret = newSecret;
  }

  /**
   * Sends an organisation's webhooks to its own endpoint instead of the app's; a null {@code
   * newUrl} removes the override.
   */
  public void configure(String organisationId, String newUrl, String newSecret) {
    if (newUrl == null) {
      organisationEndpoints.remove(organisationId);
    } else {
      organisationEndpoints.put(
          organisationId, new Endpoint(newUrl, newSecret != null ? newSecret : secret));
    }
  }

  public String url() {
    return url;
  }

  public String secret() {
    return secret;
  }

  /** Queues an event; a webhook goes out after the batch window. */
  public void accept(Event event) {
    queue.add(event);
    if (flushScheduled.compareAndSet(false, true)) {
      scheduler.schedule(this::flush, batchWindow.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void flush() {
    flushScheduled.set(false);
    List<Event> drained = new ArrayList<>();
    queue.drainTo(drained);
    Map<String, List<Event>> byOrganisation = new LinkedHashMap<>();
    for (Event e : drained) {
      byOrganisation.computeIfAbsent(e.organisationId, k -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<String, List<Event>> entry : byOrganisation.entrySet()) {
      List<Event> events = entry.getValue();
      for (int i = 0; i < events.size(); i += MAX_EVENTS) {
        Webhook webhook =
            create(entry.getKey(), events.subList(i, Math.min(events.size(), i + MAX_EVENTS)));
        deliveries.submit(() -> deliver(webhook));
      }
    }
  }

  private Webhook create(String organisationId, List<Event> events) {
    return state.locked(
        () -> {
          Webhook w = new Webhook();
          w.id = state.ids.next("WB");
          w.createdAt = state.nowIso();
          w.organisationId = organisationId;
          Map<String, Object> meta = new LinkedHashMap<>();
          meta.put("webhook_id", w.id);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("events", events);
          body.put("meta", meta);
          w.requestBody = mapper.writeValueAsString(body);
          for (Event e : events) {
            w.eventIds.add(e.id);
          }
          return state.webhooks.add(w);
        });
  }

  /**
   * Sends a previous webhook's events again as a new webhook (manual resend); delivery is
   * asynchronous.
   */
  public Webhook resend(Webhook original) {
    Webhook copy = new Webhook();
    copy.id = state.ids.next("WB");
    copy.createdAt = state.nowIso();
    copy.organisationId = original.organisationId;
    copy.eventIds = new ArrayList<>(original.eventIds);
    copy.requestBody =
        original.requestBody.replace(
            "\"webhook_id\":\"" + original.id + "\"", "\"webhook_id\":\"" + copy.id + "\"");
    state.webhooks.add(copy);
    deliveries.submit(() -> deliver(copy));
    return copy;
  }

  private void deliver(Webhook webhook) {
    Endpoint own = organisationEndpoints.get(webhook.organisationId);
    String target = own != null ? own.url() : url;
    String key = own != null ? own.secret() : secret;
    byte[] body = webhook.requestBody.getBytes(StandardCharsets.UTF_8);
    String signature = sign(key, body);
    Map<String, String> requestHeaders = new LinkedHashMap<>();
    requestHeaders.put("Content-Type", "application/json");
    requestHeaders.put("User-Agent", "gocardless-webhook-service/1.2");
    requestHeaders.put("Origin", "https://api-sandbox.gocardless.com");
    requestHeaders.put("Webhook-Signature", signature);
    Integer code = null;
    String responseBody = null;
    Map<String, String> responseHeaders = new LinkedHashMap<>();
    String error = null;
    if (target == null) {
      error = "no webhook endpoint configured";
    } else {
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(target))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        requestHeaders.forEach(request::header);
        HttpResponse<String> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        code = response.statusCode();
        responseBody = response.body();
        response.headers().map().forEach((k, v) -> responseHeaders.put(k, String.join(", ", v)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
      } catch (Exception e) {
        error = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
    boolean ok = code != null && code >= 200 && code < 300;
    Integer statusCode = code;
    String bodyText = responseBody;
    String failure = error;
    boolean retry =
        state.locked(
            () -> {
              webhook.attempts++;
              webhook.url = target;
              webhook.requestHeaders = requestHeaders;
              webhook.responseCode = statusCode;
              webhook.responseHeaders = responseHeaders;
              webhook.responseBodyTruncated =
                  bodyText != null && bodyText.length() > MAX_RESPONSE_BODY;
              webhook.responseBody =
                  bodyText == null
                      ? null
                      : bodyText.substring(0, Math.min(bodyText.length(), MAX_RESPONSE_BODY));
              webhook.successful = ok;
              webhook.lastError = failure;
              webhook.retrying = !ok && target != null && webhook.attempts <= retryDelays.size();
              return webhook.retrying;
            });
    if (!ok) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "Webhook {0} to {1} failed (attempt {2}): {3}",
          webhook.id,
          target,
          webhook.attempts,
          failure != null ? failure : "HTTP " + statusCode);
    }
    if (retry) {
      Duration delay = retryDelays.get(webhook.attempts - 1);
      scheduler.schedule(
          () -> deliveries.submit(() -> deliver(webhook)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Lower-case hex HMAC-SHA256 of {@code body} with {@code secret} (UTF-8), as GoCardless signs
   * webhooks.
   */
  public static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    deliveries.shutdownNow();
    client.close();
  }
}
