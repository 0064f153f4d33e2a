package io.paybridge.platform.testsupport.http;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for oauth-service's internal token endpoint ({@code GET
 * /internal/merchants/{id}/access-token}) over real HTTP, for the tests of services that call
 * GoCardless for a merchant: it answers the token registered for a merchant to a caller whose
 * bearer token the {@link TestIssuer} signed for an allowed client ({@code client_id}, {@code azp}
 * or {@code sub}), 401 without one, 403 for another client, 404 for a merchant not registered (not
 * connected), in oauth-service's JSON shape.
 */
public final class MerchantTokenEndpoint implements AutoCloseable {

  private static final String PREFIX = "/internal/merchants/";
  private static final String SUFFIX = "/access-token";

  private final HttpServer server;
  private final Set<String> allowedClients;
  private final Map<String, String[]> tokens = new ConcurrentHashMap<>();
  private final AtomicInteger granted = new AtomicInteger();

  private MerchantTokenEndpoint(Set<String> allowedClients) throws IOException {
    this.allowedClients = Set.copyOf(allowedClients);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** A stand-in that hands tokens to the given clients only. */
  public static MerchantTokenEndpoint forClients(String... clients) {
    try {
      return new MerchantTokenEndpoint(Set.of(clients));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The merchant is connected, with this organisation and GoCardless token. */
  public void connect(String merchantId, String organisationId, String accessToken) {
    tokens.put(merchantId, new String[] {organisationId, accessToken});
  }

  /** The merchant is no longer connected (404 from now on). */
  public void disconnect(String merchantId) {
    tokens.remove(merchantId);
  }

  /** How many tokens were handed out so far. */
  public int granted() {
    return granted.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!"GET".equals(exchange.getRequestMethod())
          || !path.startsWith(PREFIX)
          || !path.endsWith(SUFFIX)) {
        respond(exchange, 404, "{\"status\":404}");
        return;
      }
      String client = client(exchange.getRequestHeaders().getFirst("Authorization"));
      if (client == null) {
        respond(exchange, 401, "{\"status\":401}");
        return;
      }
      if (!allowedClients.contains(client)) {
        respond(exchange, 403, "{\"status\":403}");
        return;
      }
      String merchantId = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
      String[] token = tokens.get(merchantId);
      if (token == null) {
        respond(
            exchange,
            404,
            "{\"status\":404,\"type\":\"https://paybridge.io/problems/merchant-not-connected\"}");
        return;
      }
      granted.incrementAndGet();
      respond(
          exchange,
          200,
          "{\"merchantId\":\"%s\",\"organisationId\":\"%s\",\"accessToken\":\"%s\",\"tokenType\":\"bearer\"}"
              .formatted(merchantId, token[0], token[1]));
    }
  }

  /** The client a valid bearer token of the test issuer was issued to, or {@code null}. */
  private static String client(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    try {
      SignedJWT jwt = SignedJWT.parse(authorization.substring(7));
      JWKSet keys = JWKSet.load(URI.create(TestIssuer.get().jwksUri()).toURL());
      var key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
      if (!(key instanceof RSAKey rsa) || !jwt.verify(new RSASSAVerifier(rsa))) {
        return null;
      }
      var claims = jwt.getJWTClaimsSet();
      if (!TestIssuer.get().issuerUri().equals(claims.getIssuer())
          || claims.getExpirationTime() == null
          || claims.getExpirationTime().before(new java.util.Date())) {
        return null;
      }
      for (String claim : new String[] {"client_id", "azp", "sub"}) {
        Object value = claims.getClaim(claim);
        if (value instanceof String s && !s.isBlank()) {
          return s;
        }
      }
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
