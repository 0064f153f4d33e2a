package io.paybridge.platform.testsupport.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse proxy that can be switched to answer 503, to answer late, or to answer GoCardless's 429
 * to one access token, so that a test can take "GoCardless" (or the identity provider) down or make
 * it slow at an exact moment (for example between consent and code exchange), for every path or
 * only some, or hold a request until the test lets it through. It keeps what it relayed, so a test
 * knows what GoCardless issued (codes, access tokens, a token the service never stored) without
 * asking the service under test.
 */
public final class FaultyProxy implements AutoCloseable {

  private static final Set<String> HOP_BY_HOP =
      Set.of("host", "connection", "content-length", "transfer-encoding", "upgrade", "expect");

  private final HttpServer server;
  private final String target;
  private final HttpClient client =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private volatile Duration delay = Duration.ZERO;
  private volatile List<String> failing = List.of();
  private final List<Relayed> relayed = new CopyOnWriteArrayList<>();

  /** One request relayed to GoCardless and its answer. */
  public record Relayed(
      String method, String path, int status, String location, String responseBody) {}

  private volatile Hold hold;

  private volatile RateLimit rateLimit;
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final List<String> refused = new CopyOnWriteArrayList<>();

  /** GoCardless's answer to a token over its limit: 429 until {@code reset}. */
  private record RateLimit(String authorization, Instant reset) {}

  private FaultyProxy(String target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public static FaultyProxy to(String target) {
    try {
      return new FaultyProxy(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void down(boolean value) {
    this.failing = value ? List.of("/") : List.of();
  }

  /** Answers 503 to requests whose path starts with one of {@code pathPrefixes}; none: back up. */
  public void downFor(String... pathPrefixes) {
    this.failing = List.of(pathPrefixes);
  }

  /**
   * Answers GoCardless's 429 ({@code invalid_api_usage}/{@code rate_limit_exceeded},
   * docs/gocardless API.md §1.5 and examples/16_error_rate_limit_exceeded.json) with {@code
   * RateLimit-Limit: 1000}, {@code RateLimit-Remaining: 0} and {@code RateLimit-Reset} = {@code
   * reset} as an HTTP-date to every request made with {@code accessToken}, as GoCardless does to a
   * token whose allowance is used up; other tokens pass. {@code null}: every token passes again.
   */
  public void rateLimit(String accessToken, Instant reset) {
    this.rateLimit = accessToken == null ? null : new RateLimit("Bearer " + accessToken, reset);
  }

  /** How many requests got the 429 of {@link #rateLimit}. */
  public int rateLimitedRequests() {
    return rateLimited.get();
  }

  /**
   * How many requests to paths starting with {@code pathPrefix} got the 503 of {@link #down} or
   * {@link #downFor}.
   */
  public long refusedRequests(String pathPrefix) {
    return refused.stream().filter(path -> path.startsWith(pathPrefix)).count();
  }

  /** Everything relayed so far, oldest first. */
  public List<Relayed> relayed() {
    return List.copyOf(relayed);
  }

  /** Every answer from now on is held back this long (zero: at once). */
  public void delay(Duration value) {
    this.delay = value;
  }

  /** Holds the next request to {@code path} until {@link Hold#release()} (or 30 s). */
  public Hold hold(String path) {
    var next = new Hold(path);
    this.hold = next;
    return next;
  }

  /** The body of the last answer to a request for {@code path}, if any passed. */
  public String lastResponseBody(String path) {
    return relayed.reversed().stream()
        .filter(r -> r.path().equals(path))
        .map(Relayed::responseBody)
        .findFirst()
        .orElse(null);
  }

  /** A request held on its way to the simulator. */
  public final class Hold implements AutoCloseable {
    private final String path;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    private Hold(String path) {
      this.path = path;
    }

    /**
     * Waits until the held request has arrived, failing at once with {@code call}'s outcome if the
     * call that should have sent it ends first (answered without reaching this proxy).
     */
    public void awaitArrival(Future<?> call) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      try {
        while (!arrived.await(20, TimeUnit.MILLISECONDS)) {
          if (call.isDone()) {
            throw new IllegalStateException(
                "The call ended before a request for " + path + " arrived: " + outcome(call));
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("No request for " + path + " arrived");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static String outcome(Future<?> call) {
      return switch (call.state()) {
        case SUCCESS -> String.valueOf(call.resultNow());
        case FAILED -> String.valueOf(call.exceptionNow());
        default -> call.state().toString();
      };
    }

    public void release() {
      released.countDown();
    }

    @Override
    public void close() {
      release();
      if (hold == this) {
        hold = null;
      }
    }

    private void block() throws IOException {
      arrived.countDown();
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Hold held = hold;
      if (held != null && held.path.equals(path)) {
        hold = null;
        held.block();
      }
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (failing.stream().anyMatch(path::startsWith)) {
        refused.add(path);
        byte[] body =
            "{\"error\":{\"type\":\"gocardless\",\"code\":503,\"message\":\"Service unavailable\"}}"
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(503, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      RateLimit limit = rateLimit;
      if (limit != null
          && limit.authorization().equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        rateLimited.incrementAndGet();
        byte[] body =
            ("{\"error\":{\"documentation_url\":\"https://developer.gocardless.com/api-reference#rate_limit_exceeded\","
                    + "\"message\":\"Rate limit exceeded\",\"type\":\"invalid_api_usage\",\"code\":429,"
                    + "\"errors\":[{\"reason\":\"rate_limit_exceeded\",\"message\":\"Rate limit exceeded\"}],"
                    + "\"request_id\":\""
                    + UUID.randomUUID()
                    + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.add("Content-Type", "application/json");
        headers.add("RateLimit-Limit", "1000");
        headers.add("RateLimit-Remaining", "0");
        headers.add(
            "RateLimit-Reset",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(limit.reset().atZone(ZoneOffset.UTC)));
        exchange.sendResponseHeaders(429, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      byte[] requestBody = exchange.getRequestBody().readAllBytes();
      var request =
          HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI().toString()))
              .method(
                  exchange.getRequestMethod(),
                  requestBody.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(requestBody));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                  values.forEach(v -> request.header(name, v));
                }
              });
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] body = response.body();
      relayed.add(
          new Relayed(
              exchange.getRequestMethod(),
              path,
              response.statusCode(),
              response.headers().firstValue("Location").orElse(null),
              new String(body, StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
