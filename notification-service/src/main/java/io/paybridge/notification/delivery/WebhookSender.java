package io.paybridge.notification.delivery;

import io.paybridge.notification.delivery.AttemptResult.Outcome;
import io.paybridge.notification.egress.AddressPolicy;
import io.paybridge.notification.egress.RefusedAddressException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends one webhook attempt. The host is resolved and checked by {@link AddressPolicy} at every
 * attempt and the connection goes to that very address (an {@link HttpHost} that carries it; the
 * client's own resolver refuses every lookup), so DNS cannot answer differently between the check
 * and the connection. TLS still verifies the certificate against the URL's host name. Redirects are
 * not followed; the whole attempt is bounded by {@code attempt-timeout}.
 */
@Component
class WebhookSender implements DisposableBean {

  private final AddressPolicy addresses;
  private final DeliveryProperties properties;
  private final CloseableHttpClient client;
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("webhook-deadlines").factory());

  WebhookSender(AddressPolicy addresses, DeliveryProperties properties) {
    this.addresses = addresses;
    this.properties = properties;
    var connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(properties.maxInFlight())
            // Endpoints of several teams may share a host: the per-endpoint cap is the worker's
            // permits, not the pool's route limit.
            .setMaxConnPerRoute(properties.maxInFlight())
            .setDnsResolver(NO_LOOKUPS)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                    .setSocketTimeout(Timeout.of(properties.attemptTimeout()))
                    // A pooled connection is to an address checked when it was opened; it is not
                    // kept for long, so a changed DNS answer is followed soon.
                    .setTimeToLive(TimeValue.ofSeconds(60))
                    .build())
            .build();
    this.client =
        HttpClients.custom()
            .setConnectionManager(connections)
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .setUserAgent("PayBridge-Webhooks/1.0")
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setResponseTimeout(Timeout.of(properties.attemptTimeout()))
                    .setConnectionRequestTimeout(Timeout.of(properties.attemptTimeout()))
                    .build())
            .build();
  }

  AttemptResult send(String url, String webhookId, long timestamp, String signature, byte[] body) {
    long start = System.nanoTime();
    URI uri = URI.create(url);
    InetAddress address;
    try {
      address = addresses.resolve(uri.getHost());
    } catch (RefusedAddressException e) {
      return AttemptResult.failed(Outcome.REFUSED_ADDRESS, since(start), e.getMessage());
    }
    String scheme = uri.getScheme().toLowerCase();
    int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    var target = new HttpHost(scheme, address, uri.getHost(), port);
    var request = new HttpPost(uri);
    request.setHeader("webhook-id", webhookId);
    request.setHeader("webhook-timestamp", Long.toString(timestamp));
    request.setHeader("webhook-signature", signature);
    request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
    var timedOut = new AtomicBoolean();
    var deadline =
        deadlines.schedule(
            () -> {
              timedOut.set(true);
              request.cancel();
            },
            properties.attemptTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    try (var response = client.executeOpen(target, request, null)) {
      int status = response.getCode();
      String excerpt = null;
      var entity = response.getEntity();
      if (entity != null) {
        try (InputStream in = entity.getContent()) {
          byte[] bytes = in.readNBytes(properties.responseExcerpt());
          excerpt = new String(bytes, StandardCharsets.UTF_8);
          if (bytes.length == properties.responseExcerpt() && in.read() >= 0) {
            // Not read to its end: the connection is closed rather than drained and reused.
            request.cancel();
          } else {
            EntityUtils.consumeQuietly(entity);
          }
        }
      }
      Outcome outcome =
          status >= 200 && status < 300
              ? Outcome.SUCCEEDED
              : status == 410
                  ? Outcome.GONE
                  : status >= 300 && status < 400 ? Outcome.REDIRECT : Outcome.HTTP_ERROR;
      String error =
          outcome == Outcome.SUCCEEDED
              ? null
              : outcome == Outcome.REDIRECT
                  ? "HTTP " + status + " (redirects are not followed)"
                  : "HTTP " + status;
      return new AttemptResult(outcome, status, since(start), excerpt, error);
    } catch (SocketTimeoutException e) {
      return AttemptResult.failed(Outcome.TIMEOUT, since(start), "No answer within the timeout");
    } catch (IOException | RuntimeException e) {
      if (timedOut.get()) {
        return AttemptResult.failed(
            Outcome.TIMEOUT,
            since(start),
            "No answer within " + properties.attemptTimeout().toMillis() + " ms");
      }
      return AttemptResult.failed(Outcome.NETWORK_ERROR, since(start), describe(e));
    } finally {
      deadline.cancel(false);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() > 500 ? text.substring(0, 500) : text;
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public void destroy() throws IOException {
    deadlines.shutdownNow();
    client.close();
  }

  /** Every target carries its checked address: a lookup here would be a second, unchecked one. */
  private static final DnsResolver NO_LOOKUPS =
      new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
          throw new UnknownHostException("Lookups are made and checked by AddressPolicy only");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
          throw new UnknownHostException("Lookups are made and checked by AddressPolicy only");
        }
      };
}
