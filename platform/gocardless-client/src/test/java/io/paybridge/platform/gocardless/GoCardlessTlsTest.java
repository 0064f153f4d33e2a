package io.paybridge.platform.gocardless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatedOrganisation;
import io.paybridge.simulator.SimulatorSettings;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * The calls to GoCardless over TLS with a configured trust ({@code
 * paybridge.gocardless.tls.bundle}): the simulator behind a TLS endpoint whose certificate (made by
 * the JDK's keytool for 127.0.0.1) no public CA signed, as behind a company's TLS-inspecting egress
 * proxy. With the bundle trusting that certificate the client works; without it the handshake is
 * refused.
 */
class GoCardlessTlsTest {

  private static final String PASSWORD = "changeit";
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade", "expect");

  private static GoCardlessSimulator simulator;
  private static SimulatedOrganisation merchant;
  private static HttpsServer tls;
  private static KeyStore keyStore;

  @BeforeAll
  static void start() throws Exception {
    simulator =
        GoCardlessSimulator.start(SimulatorSettings.defaults().withTickInterval(Duration.ZERO));
    merchant = simulator.createOrganisation("TLS Test Ltd", "successful");
    Path store = Files.createTempDirectory(Path.of("target"), "tls").resolve("endpoint.p12");
    var keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "endpoint",
                "-keyalg",
                "EC",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD)
            .inheritIO()
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    keyStore = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(store.toFile())) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD.toCharArray());
    var context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);

    // A TLS endpoint passing every request on to the simulator as it came.
    var upstream = HttpClient.newHttpClient();
    tls = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tls.setHttpsConfigurator(new HttpsConfigurator(context));
    tls.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          var request =
              HttpRequest.newBuilder(
                      URI.create(simulator.baseUrl() + exchange.getRequestURI().toString()))
                  .method(
                      exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
          exchange
              .getRequestHeaders()
              .forEach(
                  (name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                      values.forEach(value -> request.header(name, value));
                    }
                  });
          try {
            var response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response
                .headers()
                .map()
                .forEach(
                    (name, values) -> {
                      if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                        exchange.getResponseHeaders().put(name, values);
                      }
                    });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(
                response.statusCode(), answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
          } finally {
            exchange.close();
          }
        });
    tls.start();
  }

  @AfterAll
  static void stop() {
    if (tls != null) {
      tls.stop(0);
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void withTheBundleTrustingTheEndpointTheCallsWork() throws Exception {
    var trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("endpoint", keyStore.getCertificate("endpoint"));
    var gocardless = gocardless(SslBundle.of(SslStoreBundle.of(null, null, trust)));

    var creditors = gocardless.once("merchant-tls", c -> c.creditors().list().execute());

    assertThat(creditors.getItems()).isNotEmpty();
  }

  @Test
  void withoutItTheHandshakeIsRefused() {
    var gocardless = gocardless(null);

    assertThatThrownBy(() -> gocardless.once("merchant-tls", c -> c.creditors().list().execute()))
        .satisfies(e -> assertThat(causes(e)).anyMatch(SSLException.class::isInstance));
  }

  private static java.util.List<Throwable> causes(Throwable e) {
    var all = new java.util.ArrayList<Throwable>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.add(t);
    }
    return all;
  }

  private static GoCardless gocardless(SslBundle bundle) {
    var properties =
        new GoCardlessProperties(
            URI.create("https://127.0.0.1:" + tls.getAddress().getPort()),
            "test",
            URI.create("http://127.0.0.1:1"),
            "oauth-service",
            Duration.ofMinutes(5),
            100,
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            1,
            Duration.ofMillis(10),
            50,
            1000,
            1000,
            Duration.ofMinutes(1),
            4,
            1000,
            0,
            Duration.ofSeconds(60));
    MerchantTokens tokens =
        id -> new MerchantToken(id, merchant.organisationId(), merchant.accessToken());
    return new GoCardless(
        properties,
        tokens,
        Clock.systemUTC(),
        CircuitBreakerRegistry.ofDefaults(),
        RetryRegistry.ofDefaults(),
        BulkheadRegistry.ofDefaults(),
        RateLimiterRegistry.ofDefaults(),
        bundle);
  }
}
