package io.paybridge.notification.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A real HTTP receiver of webhooks (the JDK's server, a virtual thread per request): records every
 * request and answers as the test says, per request number (1-based): a status, after a delay, with
 * a Location for redirects.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** Where the test receivers listen: the only loopback address the test profile allow-lists. */
  public static final String ALLOWED_ADDRESS = "127.0.0.5";

  public record Reply(int status, Duration delay, String location) {
    public static Reply status(int status) {
      return new Reply(status, Duration.ZERO, null);
    }
  }

  public record Request(String path, Map<String, String> headers, byte[] bytes, Instant at) {
    public String header(String name) {
      return headers.get(name);
    }

    public String body() {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile IntFunction<Reply> replies = n -> Reply.status(204);

  private WebhookReceiver(String address) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 100);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** A receiver on {@link #ALLOWED_ADDRESS}. */
  public static WebhookReceiver start() {
    return new WebhookReceiver(ALLOWED_ADDRESS);
  }

  /** A receiver on another address (127.0.0.1, ::1): one the service must refuse to reach. */
  public static WebhookReceiver on(String address) {
    return new WebhookReceiver(address);
  }

  public WebhookReceiver replying(IntFunction<Reply> replies) {
    this.replies = replies;
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.5:<port><path>}. */
  public String url(String path) {
    String host = server.getAddress().getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port() + path;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> await(Predicate<Request> match, int count, Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> requests.stream().filter(match).count() >= count);
    return requests.stream().filter(match).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    var headers = new HashMap<String, String>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
    requests.add(new Request(exchange.getRequestURI().getPath(), headers, body, Instant.now()));
    Reply reply = replies.apply(count.incrementAndGet());
    try {
      if (!reply.delay().isZero()) {
        Thread.sleep(reply.delay());
      }
      if (reply.location() != null) {
        exchange.getResponseHeaders().add("Location", reply.location());
      }
      byte[] answer = ("{\"received\":" + count.get() + "}").getBytes();
      exchange.sendResponseHeaders(reply.status(), reply.status() == 204 ? -1 : answer.length);
      if (reply.status() != 204) {
        exchange.getResponseBody().write(answer);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the service gave up waiting (timeout): nothing to answer
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
