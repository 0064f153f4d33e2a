package io.paybridge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;

/**
 * A service that is down or slow gets the caller a 503 problem at once instead of a hanging
 * connection; its circuit opens after repeated failures (the service is then not called at all) and
 * closes again once trial calls succeed. Retries are for reads only.
 */
class ResilienceIT extends GatewayHarness {

  @Autowired ReactiveResilience4JCircuitBreakerFactory breakers;

  @Test
  void aServiceThatIsDownIs503AndItsCircuitOpensThenClosesWhenItIsBack() {
    // billing-service: window of 4 calls, all 4 failing opens it; open for 2 s; 2 trial calls.
    String token = teamToken("team-a", "payments:write", "payments:read");
    BILLING.stop();
    try {
      for (int i = 0; i < 4; i++) {
        var refused = Http.postJson(url("/billing-requests"), token, "{}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().path("type").asString())
            .isEqualTo("https://paybridge.io/problems/service-unavailable");
        assertThat(refused.json().path("instance").asString()).isEqualTo("/billing-requests");
        assertThat(refused.header("Retry-After")).isEqualTo("2");
      }
      assertThat(breaker("billing-service").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    } finally {
      BILLING.start();
    }

    // Back up, but the circuit is open: answered at once, the service is not called.
    var held = Http.get(url("/payments/PM1"), token);
    assertThat(held.status()).isEqualTo(503);
    assertThat(held.json().path("detail").asString()).contains("held back");
    assertThat(BILLING.received()).isEmpty();

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Http.get(url("/payments/PM1"), token).status() == 200);
    Http.get(url("/payments/PM2"), token);
    assertThat(breaker("billing-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void aSlowServiceIs503BeforeItHasAnswered() {
    // notification-service: 3 s timeout. The proxy holds the request until the test lets it go.
    String token = teamToken("team-a", "notifications:read");
    // The route's first call in a cold JVM can spend the whole time limit inside the gateway
    // (its HTTP client's first connection) and never reach the service: warm the route on another
    // path first, so that the time limit is spent on the held request.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Http.get(url("/notifications/deliveries"), token).status() == 200);
    try (var hold = NOTIFICATION_PROXY.hold("/notifications/endpoints")) {
      var call =
          CompletableFuture.supplyAsync(() -> Http.get(url("/notifications/endpoints"), token));
      hold.awaitArrival(call);
      var response = call.join(); // returns while the service still holds the request

      assertThat(response.status()).isEqualTo(503);
      assertThat(response.json().path("detail").asString())
          .isEqualTo("notification-service did not answer within 3000 ms");
      assertThat(attempts("GET", "/notifications/endpoints")).isZero();
    }
  }

  @Test
  void readsAreRetriedAndWritesAreNot() {
    String token = teamToken("team-a", "notifications:read", "notifications:write");
    NOTIFICATION.answer(502);

    var read = Http.get(url("/notifications/deliveries"), token);
    var write = Http.postJson(url("/notifications/endpoints"), token, "{}");
    long readAttempts = attempts("GET", "/notifications/deliveries");
    long writeAttempts = attempts("POST", "/notifications/endpoints");

    assertThat(read.status()).isEqualTo(502);
    assertThat(readAttempts).isEqualTo(3);
    assertThat(write.status()).isEqualTo(502);
    assertThat(writeAttempts).isEqualTo(1);
  }

  @Test
  void manyConcurrentCallsToAHealthyButUnhurriedServiceAreAllServed() {
    // 40 calls in flight together, each answered after 300 ms: no concurrency cap of the breaker
    // (Spring Cloud CircuitBreaker's default bulkhead would refuse all but 25) turns them into
    // 503s.
    String token = teamToken("team-a", "notifications:read");
    NOTIFICATION_PROXY.delay(Duration.ofMillis(300));
    List<Http.Response> answers;
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var calls = new ArrayList<CompletableFuture<Http.Response>>();
      for (int i = 0; i < 40; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> Http.get(url("/notifications/deliveries"), token), executor));
      }
      answers = calls.stream().map(CompletableFuture::join).toList();
    }

    assertThat(answers).extracting(Http.Response::status).containsOnly(200);
    assertThat(breaker("notification-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  /** Requests that reached the service (a request held by another test may arrive late). */
  private static long attempts(String method, String path) {
    return NOTIFICATION.received().stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .count();
  }

  private CircuitBreaker breaker(String name) {
    return breakers.getCircuitBreakerRegistry().circuitBreaker(name);
  }
}
