package io.paybridge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.SignedWebhooks;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * GoCardless's webhook passes the gateway without a token and arrives byte for byte, its headers
 * kept, so webhook-ingest-service's signature check still holds; bodies over the route's limit are
 * refused at the gateway, with or without a length.
 */
class WebhookRouteIT extends GatewayHarness {

  private static final String SECRET = "gateway-test-webhook-secret";
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void aSignedWebhookArrivesByteForByteAndItsSignatureStillVerifies() throws Exception {
    var signer = new SignedWebhooks(SECRET, "GW");
    var webhook = signer.next("A", 3);
    // Bytes a re-encoding proxy would change: non-ASCII text, escapes and odd whitespace.
    byte[] body =
        new String(webhook.body(), StandardCharsets.UTF_8)
            .replace("\"metadata\":{}", "\"metadata\":{\"note\":\"caf\u00e9 \\u00e9 \\/ \"}  \n")
            .getBytes(StandardCharsets.UTF_8);
    String signature = signer.sign(body);

    var response = send(body, signature, true);

    assertThat(response.statusCode()).isEqualTo(204);
    var received = WEBHOOK_INGEST.received().getLast();
    assertThat(received.body()).isEqualTo(body);
    assertThat(received.header("Webhook-Signature")).isEqualTo(signature);
    assertThat(signer.sign(received.body())).isEqualTo(received.header("Webhook-Signature"));
    assertThat(received.header("User-Agent")).isEqualTo("gocardless-webhook-service/1.1");
    assertThat(received.header("Origin")).isEqualTo("https://api.gocardless.com");
    assertThat(received.header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413AndNotPassedOn() throws Exception {
    byte[] big = new byte[1024 * 1024 + 1];
    Arrays.fill(big, (byte) ' ');

    var response = send(big, "00", true);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.body()).contains("https://paybridge.io/problems/request-too-large");
    assertThat(WEBHOOK_INGEST.received()).isEmpty();
  }

  @Test
  void aBodyWithoutALengthIsCountedAndCutOffAtTheLimit() throws Exception {
    byte[] big = new byte[2 * 1024 * 1024];
    Arrays.fill(big, (byte) ' ');

    var response = send(big, "00", false);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("https://paybridge.io/problems/request-too-large");
    assertThat(WEBHOOK_INGEST.received())
        .allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(1024 * 1024));
  }

  private HttpResponse<String> send(byte[] body, String signature, boolean withLength)
      throws Exception {
    var publisher =
        withLength
            ? HttpRequest.BodyPublishers.ofByteArray(body)
            : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    var request =
        HttpRequest.newBuilder(URI.create(url("/webhooks/gocardless")))
            .header("Content-Type", "application/json")
            .header("Webhook-Signature", signature)
            .header("User-Agent", "gocardless-webhook-service/1.1")
            .header("Origin", "https://api.gocardless.com")
            .POST(publisher)
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
