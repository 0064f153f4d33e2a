package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.testsupport.IntegrationTest;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What operators and Kubernetes see, on the management port only: health of the database, Kafka and
 * the relay and Prometheus metrics for the internal network (here 127.0.0.1), the probes for
 * anyone, and nothing of actuator on the public webhook port.
 */
@IntegrationTest
class ActuatorIT {

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired ObjectMapper mapper;
  @Autowired ManagementServer managementServer;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void reportsDatabaseKafkaAndRelayHealthOnTheManagementPort() throws Exception {
    assertThat(managementPort).isNotEqualTo(port);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "LEADER"
                    .equals(
                        health()
                            .path("components")
                            .path("outboxRelay")
                            .path("details")
                            .path("role")
                            .asString()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "UP".equals(health().path("status").asString()));
    JsonNode health = health();
    assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("UP");
    assertThat(health.path("components").path("db").path("details").has("checkedAt")).isTrue();
    assertThat(health.path("components").path("kafka").path("status").asString()).isEqualTo("UP");
    assertThat(health.path("components").path("kafka").path("details").has("clusterId")).isTrue();
    assertThat(health.path("components").path("outboxRelay").path("status").asString())
        .isEqualTo("UP");
    assertThat(health.path("components").path("outboxRelay").path("details").has("backlogBytes"))
        .isTrue();
  }

  @Test
  void probesAnswerAnyoneWithAStatusOnly() throws Exception {
    var outsider = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
    for (String probe : List.of("/actuator/health/readiness", "/actuator/health/liveness")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(outsider, managementPort, probe).statusCode() == 200);
      JsonNode body = mapper.readTree(get(outsider, managementPort, probe).body());
      assertThat(body.propertyNames()).containsExactly("status");
      assertThat(body.path("status").asString()).isEqualTo("UP");
    }
  }

  @Test
  void healthDetailsAndMetricsOnlyForTheInternalNetwork() throws Exception {
    var outsider = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
    for (String path :
        List.of(
            "/actuator/health",
            "/actuator/health/db",
            "/actuator/health/readiness/db",
            "/actuator/prometheus",
            "/actuator/metrics",
            "/actuator/info")) {
      var refused = get(outsider, managementPort, path);
      assertThat(refused.statusCode()).as(path).isEqualTo(403);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(refused.body()).doesNotContain("outboxRelay", "paybridge_");
    }
    assertThat(get(http, managementPort, "/actuator/prometheus").statusCode()).isEqualTo(200);
    assertThat(get(http, managementPort, "/actuator/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void aForwardedForHeaderDoesNotMakeAnOutsiderInternal() throws Exception {
    // server.forward-headers-strategy is none (application.yml): Jetty's forwarded-header handling
    // would take the header from any client, so that an outsider could name a trusted address.
    var outsider = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
    var response =
        outsider.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .header("X-Forwarded-For", "127.0.0.1")
                .header("Forwarded", "for=127.0.0.1")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void theManagementPortIsServedByItsOwnFewThreads() throws Exception {
    var server = managementServer.server.get();
    assertThat(server).isNotNull();
    assertThat(server.getPort()).isEqualTo(managementPort);
    // Not the service's pool (Spring Boot's virtual-thread one, copied to the management server):
    // paybridge.management.threads (2) platform threads that serve requests, and Jetty's acceptor
    // and selector.
    var pool = (QueuedThreadPool) server.getServer().getThreadPool();
    assertThat(pool.getName()).isEqualTo("management-http");
    assertThat(pool.getVirtualThreadsExecutor()).isNull();
    assertThat(pool.getMaxThreads()).isEqualTo(2 + 2);
    // A burst: with virtual threads the management server would take one per request.
    var answers = new java.util.ArrayList<java.util.concurrent.Future<HttpResponse<String>>>();
    try (var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 50; i++) {
        answers.add(clients.submit(() -> get(http, managementPort, "/actuator/health/liveness")));
      }
    }
    // Every request of the burst served, by that pool, which did not grow past its size.
    for (var answer : answers) {
      assertThat(answer.get().statusCode()).isEqualTo(200);
    }
    assertThat(pool.getThreads()).isLessThanOrEqualTo(2 + 2);
  }

  @Test
  void theWebhookPortRunsEachRequestOnAVirtualThreadBehindALongBacklogWithBoundedConnections() {
    var server = managementServer.webhookServer.get();
    assertThat(server).isNotNull();
    assertThat(server.getPort()).isEqualTo(port);
    var pool = (QueuedThreadPool) server.getServer().getThreadPool();
    // Jetty's acceptor and selector on the pool's platform threads, requests on virtual threads;
    // the pool sized as server.jetty.threads.* (Spring Boot's default maximum: 200).
    assertThat(pool.getVirtualThreadsExecutor()).isNotNull();
    assertThat(pool.getMaxThreads()).isEqualTo(200);
    var connector = (ServerConnector) server.getServer().getConnectors()[0];
    assertThat(connector.getAcceptQueueSize()).isEqualTo(4096);
    // What an open connection may hold, and how many may be open (docs/reliability.md, scenario
    // 10: Jetty's header cache at thousands of connections filled the heap).
    assertThat(
            connector
                .getConnectionFactory(HttpConnectionFactory.class)
                .getHttpConfiguration()
                .getHeaderCacheSize())
        .isZero();
    var limit = server.getServer().getBean(NetworkConnectionLimit.class);
    assertThat(limit.getMaxNetworkConnectionCount()).isEqualTo(10_000);
    assertThat(limit.getEndPointIdleTimeout()).isEqualTo(5_000);
  }

  /**
   * The servers, as their contexts announce them (the management context's events reach the
   * service's).
   */
  @TestConfiguration
  static class ManagementServer {
    final AtomicReference<JettyWebServer> server = new AtomicReference<>();
    final AtomicReference<JettyWebServer> webhookServer = new AtomicReference<>();

    @EventListener
    void started(WebServerInitializedEvent event) {
      if ("management".equals(event.getApplicationContext().getServerNamespace())) {
        server.set((JettyWebServer) event.getWebServer());
      } else {
        webhookServer.set((JettyWebServer) event.getWebServer());
      }
    }
  }

  @Test
  void thePublicPortHasNoActuator() throws Exception {
    for (String path :
        List.of(
            "/actuator",
            "/actuator/health",
            "/actuator/health/readiness",
            "/actuator/prometheus",
            "/actuator/metrics")) {
      var response = get(http, port, path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).doesNotContain("outboxRelay", "paybridge_");
    }
  }

  @Test
  void exposesWebhookAndRelayMetricsToPrometheus() throws Exception {
    var client = new WebhookClient(port);
    String id = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    assertThat(
            client
                .postSigned(
                    GoCardlessWebhookIT.webhook(List.of(id), "mandates", "active"),
                    SIMULATOR_SECRET)
                .statusCode())
        .isEqualTo(204);
    assertThat(client.post("{}".getBytes(), "bad").statusCode()).isEqualTo(498);

    String metrics = get(http, managementPort, "/actuator/prometheus").body();
    assertThat(metrics)
        .contains("paybridge_webhooks_received_total{outcome=\"accepted\"")
        .contains("paybridge_webhooks_received_total{outcome=\"invalid_signature\"")
        .contains("paybridge_webhooks_events_total{resource_type=\"mandates\",result=\"new\"")
        .contains("paybridge_webhooks_group_wait_seconds_bucket{")
        .contains("paybridge_webhooks_group_transaction_seconds_bucket{")
        .contains("paybridge_outbox_relay_leader")
        .contains("paybridge_outbox_backlog_bytes")
        .contains("paybridge_outbox_relay_behind_seconds")
        .contains("paybridge_outbox_relay_lag_seconds_bucket");
    // Buckets of the webhook's answer time (Spring's request timer), for its p99 in Prometheus.
    assertThat(metrics.lines())
        .anyMatch(
            line ->
                line.startsWith("http_server_requests_seconds_bucket{")
                    && line.contains("uri=\"/webhooks/gocardless\""));
    // No "active requests" long-task timer beside it (one meter fewer per request).
    assertThat(metrics.lines()).noneMatch(line -> line.startsWith("http_server_requests_active"));
    // The 204 above came after its group's commit, which the transaction timer recorded first.
    assertThat(
            metrics
                .lines()
                .filter(
                    line -> line.startsWith("paybridge_webhooks_group_transaction_seconds_count"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))))
        .singleElement()
        .satisfies(count -> assertThat(count).isGreaterThanOrEqualTo(1));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get(http, managementPort, "/actuator/prometheus")
                    .body()
                    .contains(
                        "paybridge_outbox_relayed_total{service=\"webhook-ingest-service\",topic=\"gocardless.mandates\"}"));
  }

  @Test
  void theDataGuardIsLogbacksOnlyTurboFilterAndNoLogEventsAreCounted() throws Exception {
    // Micrometer's Logback metrics would add a second turbo filter, asked before every level check
    // (platform/web-support's OneTurboFilter leaves them out).
    var context =
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    assertThat(context.getTurboFilterList())
        .isNotEmpty()
        .allSatisfy(
            filter ->
                assertThat(filter)
                    .isInstanceOf(io.paybridge.platform.web.logging.DataLogGuard.class));
    assertThat(get(http, managementPort, "/actuator/prometheus").body())
        .contains("jvm_memory_used_bytes")
        .doesNotContain("logback_events");
  }

  private JsonNode health() throws Exception {
    return mapper.readTree(get(http, managementPort, "/actuator/health").body());
  }

  private static HttpResponse<String> get(HttpClient client, int port, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
