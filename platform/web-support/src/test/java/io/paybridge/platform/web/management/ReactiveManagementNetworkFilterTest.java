package io.paybridge.platform.web.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The WebFlux management port decides as the servlet one: probes open, the rest to trusted nets.
 */
class ReactiveManagementNetworkFilterTest {

  private final ReactiveManagementNetworkFilter filter =
      new ReactiveManagementNetworkFilter(new ManagementPortProperties(null, null, 2));

  @Test
  void theProbesAnswerAnyone() {
    assertThat(passes("/actuator/health/readiness", "8.8.8.8")).isTrue();
    assertThat(passes("/actuator/health/liveness", "8.8.8.8")).isTrue();
  }

  @Test
  void everythingElseOnlyATrustedNetwork() {
    assertThat(passes("/actuator/prometheus", "8.8.8.8")).isFalse();
    assertThat(passes("/actuator/health/readiness/", "8.8.8.8")).isFalse();
    assertThat(passes("/actuator/health", "2001:db8::1")).isFalse();
    assertThat(passes("/actuator/prometheus", "10.244.3.17")).isTrue();
    assertThat(passes("/actuator/prometheus", "127.0.0.1")).isTrue();
  }

  @Test
  void aRefusalIs403ProblemJson() {
    var exchange = exchange("/actuator/metrics", "8.8.8.8");

    filter.filter(exchange, e -> Mono.empty()).block();

    assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(403);
    assertThat(exchange.getResponse().getHeaders().getContentType().toString())
        .isEqualTo("application/problem+json");
    assertThat(exchange.getResponse().getBodyAsString().block()).contains("internal network only");
  }

  private boolean passes(String path, String address) {
    var called = new AtomicBoolean();
    filter
        .filter(
            exchange(path, address),
            e -> {
              called.set(true);
              return Mono.empty();
            })
        .block();
    return called.get();
  }

  private static MockServerWebExchange exchange(String path, String address) {
    return MockServerWebExchange.from(
        MockServerHttpRequest.get(path).remoteAddress(new InetSocketAddress(address, 40000)));
  }
}
