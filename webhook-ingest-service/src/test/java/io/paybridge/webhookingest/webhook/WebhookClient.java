package io.paybridge.webhookingest.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/** Sends webhook deliveries to the service over real HTTP, as GoCardless does. */
final class WebhookClient {

  static final String JAVA_VECTOR_SECRET = "ED7D658C-D8EB-4941-948B-3973214F2D49";
  static final String EXAMPLE_APP_SECRET = "ElfJ-3tF9I_zutNVK2lBABQrw-BgAhkZKIlvmbgk";
  static final String SIMULATOR_SECRET = "local-simulator-webhook-secret";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI endpoint;

  WebhookClient(int port) {
    this(port, GoCardlessWebhookController.PATH);
  }

  /** A client of another spelling of the webhook's path (path parameters, slashes). */
  WebhookClient(int port, String path) {
    this.endpoint = URI.create("http://localhost:" + port + path);
  }

  /** Posts {@code body} signed with {@code secret}. */
  HttpResponse<String> postSigned(byte[] body, String secret) {
    return post(body, WebhookSignature.sign(secret, body));
  }

  /** Posts every body signed with {@code secret}, all at once; the answers in the bodies' order. */
  List<HttpResponse<String>> postSignedTogether(List<byte[]> bodies, String secret) {
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var answers =
          bodies.stream()
              .map(body -> CompletableFuture.supplyAsync(() -> postSigned(body, secret), executor))
              .toList();
      return answers.stream().map(CompletableFuture::join).toList();
    }
  }

  HttpResponse<String> postSigned(String body, String secret) {
    return postSigned(body.getBytes(StandardCharsets.UTF_8), secret);
  }

  /** Posts {@code body} with {@code signature} as is ({@code null}: no signature header). */
  HttpResponse<String> post(byte[] body, String signature) {
    var request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("User-Agent", "gocardless-webhook-service/1.2")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      request.header(GoCardlessWebhookController.SIGNATURE_HEADER, signature);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A file of src/test/resources/gocardless, byte for byte. */
  static byte[] example(String name) {
    try (InputStream in = WebhookClient.class.getResourceAsStream("/gocardless/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("No example " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
