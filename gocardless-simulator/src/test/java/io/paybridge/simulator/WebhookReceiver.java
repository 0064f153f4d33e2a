package io.paybridge.simulator;

import com.gocardless.Webhook;
import com.gocardless.resources.Event;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP endpoint for webhooks: records every delivery and answers 204, or 500 for the next
 * deliveries {@link #failNextFor} aims at. Every body is checked with the official {@link
 * Webhook#parse} (signature and JSON).
 */
final class WebhookReceiver implements AutoCloseable {
  /** One received request. */
  record Received(
      String body,
      String signature,
      String contentType,
      String userAgent,
      String origin,
      int answered) {}

  private final HttpServer server;
  private final String secret;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> failuresByMarker = new ConcurrentHashMap<>();

  WebhookReceiver(String secret) {
    this.secret = secret;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/webhooks",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status = failsThis(body) ? 500 : 204;
          received.add(
              new Received(
                  body,
                  exchange.getRequestHeaders().getFirst("Webhook-Signature"),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  exchange.getRequestHeaders().getFirst("User-Agent"),
                  exchange.getRequestHeaders().getFirst("Origin"),
                  status));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
  }

  /**
   * Answers 500 to the next {@code count} deliveries whose body contains {@code marker} (an
   * organisation or resource id), so that deliveries of other tests still in flight are neither
   * failed nor counted.
   */
  void failNextFor(String marker, int count) {
    failuresByMarker.put(marker, count);
  }

  private boolean failsThis(String body) {
    for (String marker : failuresByMarker.keySet()) {
      if (body.contains(marker)) {
        boolean[] failed = {false};
        failuresByMarker.computeIfPresent(
            marker,
            (m, left) -> {
              failed[0] = true;
              return left > 1 ? left - 1 : null;
            });
        if (failed[0]) {
          return true;
        }
      }
    }
    return false;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /**
   * Every event of every delivery, parsed by the official client (throws if any signature is
   * wrong).
   */
  List<Event> events() {
    List<Event> events = new ArrayList<>();
    for (Received r : received) {
      events.addAll(Webhook.parse(r.body(), r.signature(), secret));
    }
    return events;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
