package io.paybridge.simulator;

import com.gocardless.GoCardlessClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh simulator and webhook receiver for each test class (register with
 * {@code @ExtendWith(TestSimulator.class)}), so that one class's organisations, webhooks still
 * being retried and simulated clock moves cannot reach another's; plus HTTP helpers for the HTML
 * pages and raw calls. Test classes run one after another in this module, so the current class's
 * instances are reachable through {@link #SIM} and {@link #RECEIVER}.
 */
final class TestSimulator implements BeforeAllCallback, AfterAllCallback {
  static final String WEBHOOK_SECRET = "test-webhook-secret";
  static final String REDIRECT_URI = "http://localhost:9999/oauth/callback";

  static WebhookReceiver RECEIVER;
  static GoCardlessSimulator SIM;

  static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Override
  public void beforeAll(ExtensionContext context) {
    RECEIVER = new WebhookReceiver(WEBHOOK_SECRET);
    SIM =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withWebhookEndpoint(RECEIVER.url(), WEBHOOK_SECRET)
                .withWebhookRetryDelays(
                    List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)))
                .withWebhookBatchWindow(Duration.ofMillis(20))
                .withTickInterval(Duration.ZERO)
                .withRedirectUris(List.of(REDIRECT_URI)));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    SIM.close();
    RECEIVER.close();
    SIM = null;
    RECEIVER = null;
  }

  static GoCardlessClient client(String token) {
    return GoCardlessClient.newBuilder(token)
        .withBaseUrl(SIM.baseUrl())
        .withWaitBetweenRetriesInMilliSeconds(10)
        .build();
  }

  static HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(absolute(url))).GET().build());
  }

  static HttpResponse<String> postForm(String url, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8)
                        + "="
                        + java.net.URLEncoder.encode(
                            e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(absolute(url)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** A raw API call with the standard headers. */
  static HttpResponse<String> api(String method, String path, String token, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(SIM.baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .header("GoCardless-Version", "2015-07-06")
            .header("Accept", "application/json");
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    return send(b.build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String absolute(String url) {
    return url.startsWith("http") ? url : SIM.baseUrl() + url;
  }

  static String location(HttpResponse<?> response) {
    return response.headers().firstValue("Location").orElseThrow();
  }
}
