package io.paybridge.gateway.support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server standing in for one PayBridge service behind the gateway. It records every
 * request exactly as it arrived (headers, raw body bytes) and, like the real services, checks the
 * bearer token itself and keeps teams apart: {@code GET /merchants/{id}} answers 404 problem+json
 * to a team that does not own the merchant. It can be stopped (connection refused) and started
 * again on the same port, or made to answer a status of the test's choosing.
 */
public final class Downstream implements AutoCloseable {

  /** Merchants and the team that owns each, as oauth-service would hold them. */
  public static final Map<String, String> MERCHANT_OWNERS =
      Map.of("m-team-a", "team-a", "m-team-b", "team-b");

  /** One request as it arrived. */
  public record Received(
      String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  private final String name;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final DefaultJWTProcessor<SecurityContext> tokens = new DefaultJWTProcessor<>();
  private volatile int forcedStatus;
  private final Map<String, java.util.function.Function<Received, String>> answers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile String operatorToken;
  private HttpServer server;
  private int port;

  public Downstream(String name) {
    this.name = name;
    TestIssuer issuer = TestIssuer.get();
    try {
      tokens.setJWSKeySelector(
          new JWSVerificationKeySelector<>(
              JWSAlgorithm.RS256,
              JWKSourceBuilder.create(URI.create(issuer.jwksUri()).toURL()).build()));
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
    tokens.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            // Mutable sets: nimbus asks them whether they contain null.
            new HashSet<>(Set.of("paybridge-api", name)),
            new JWTClaimsSet.Builder().issuer(issuer.issuerUri()).build(),
            new HashSet<>(Set.of("exp")),
            new HashSet<>()));
    start();
  }

  public synchronized void start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  /** Stops listening: connections are refused until {@link #start()}. */
  public synchronized void stop() {
    server.stop(0);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Every request from now on is answered {@code status} (0: normal answers again). */
  public void answer(int status) {
    this.forcedStatus = status;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public void clear() {
    received.clear();
    answers.clear();
  }

  /**
   * Answers GET {@code path} (an operator read: {@code /operations/timeline}) with the JSON {@code
   * body} gives for the request, to a caller with a valid token (or the {@link #acceptOperatorToken
   * operator token}); 401 otherwise.
   */
  public void answer(String path, java.util.function.Function<Received, String> body) {
    answers.put(path, body);
  }

  /** Operator reads accept this static token instead of a JWT (as webhook-ingest-service does). */
  public void acceptOperatorToken(String token) {
    this.operatorToken = token;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      URI uri = exchange.getRequestURI();
      var request =
          new Received(
              exchange.getRequestMethod(),
              uri.getRawPath(),
              uri.getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              body);
      received.add(request);
      String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
      if (requestId != null) {
        // As the services do (web-support's RequestIds).
        exchange.getResponseHeaders().set("X-Request-Id", requestId);
      }
      if (forcedStatus != 0) {
        send(exchange, forcedStatus, "application/json", "{\"forced\":true}");
        return;
      }
      String path = uri.getPath();
      if (path.equals("/v3/api-docs")) {
        send(exchange, 200, "application/json", apiDocument());
        return;
      }
      if (path.equals("/webhooks/gocardless")) {
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      if (path.startsWith("/oauth/")) {
        send(exchange, 200, "text/html", "<p>Connected</p>");
        return;
      }
      var operatorRead = answers.get(path);
      if (operatorRead != null) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        boolean allowed =
            operatorToken != null
                ? ("Bearer " + operatorToken).equals(authorization)
                : team(authorization) != null;
        if (!allowed) {
          send(exchange, 401, "application/problem+json", problem("unauthenticated", 401));
          return;
        }
        send(exchange, 200, "application/json", operatorRead.apply(request));
        return;
      }
      String team = team(exchange.getRequestHeaders().getFirst("Authorization"));
      if (team == null) {
        send(exchange, 401, "application/problem+json", problem("unauthenticated", 401));
        return;
      }
      if (path.startsWith("/merchants/")) {
        String merchant = path.substring("/merchants/".length());
        if (!team.equals(MERCHANT_OWNERS.get(merchant))) {
          // Another team's merchant does not exist for this team.
          send(exchange, 404, "application/problem+json", problem("merchant-not-found", 404));
          return;
        }
        send(
            exchange,
            200,
            "application/json",
            "{\"merchantId\":\"" + merchant + "\",\"team\":\"" + team + "\"}");
        return;
      }
      send(
          exchange,
          200,
          "application/json",
          "{\"service\":\""
              + name
              + "\",\"method\":\""
              + exchange.getRequestMethod()
              + "\",\"path\":\""
              + path
              + "\"}");
    }
  }

  /** The team of a valid token (checked again, as every service does), or {@code null}. */
  private String team(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    try {
      return tokens.process(authorization.substring(7), null).getStringClaim("team");
    } catch (Exception e) {
      return null;
    }
  }

  private String apiDocument() {
    return "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"PayBridge "
        + name
        + "\",\"version\":\"v1\"},\"servers\":[{\"url\":\"http://"
        + name
        + ":8080\"}],\"paths\":{\"/merchants\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}}}},"
        + "\"components\":{\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"}}},"
        + "\"security\":[{\"bearer\":[]}]}";
  }

  private static String problem(String type, int status) {
    return "{\"type\":\"https://paybridge.io/problems/" + type + "\",\"status\":" + status + "}";
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    stop();
  }
}
