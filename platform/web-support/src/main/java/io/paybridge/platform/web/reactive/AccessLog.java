package io.paybridge.platform.web.reactive;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One log line per request (logger {@code paybridge.access}, INFO), as structured key-value pairs
 * that the service's JSON (ECS) log format turns into fields: method, path, status, duration,
 * request id, client address, and the labels the application adds ({@link #label}), such as the
 * team and the route. Deliberately never the query string (an OAuth callback's {@code code} and
 * {@code state} travel there), any header (the bearer token) or any body. Health probes are not
 * logged.
 */
public final class AccessLog implements WebFilter, Ordered {

  private static final Logger log = LoggerFactory.getLogger("paybridge.access");
  private static final String LABELS = AccessLog.class.getName() + ".labels";
  private static final String PROBES = "/actuator/health";

  /** Adds {@code name = value} to the exchange's access log line. */
  public static void label(ServerWebExchange exchange, String name, String value) {
    if (value != null) {
      labels(exchange).put(name, value);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> labels(ServerWebExchange exchange) {
    return (Map<String, String>)
        exchange.getAttributes().computeIfAbsent(LABELS, key -> new LinkedHashMap<>());
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    // The probes ask every few seconds: their lines would bury the requests that matter.
    if (!log.isInfoEnabled() || exchange.getRequest().getPath().value().startsWith(PROBES)) {
      return chain.filter(exchange);
    }
    long start = System.nanoTime();
    return chain.filter(exchange).doFinally(signal -> write(exchange, start));
  }

  private static void write(ServerWebExchange exchange, long start) {
    long nanos = System.nanoTime() - start;
    var request = exchange.getRequest();
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    int code = status == null ? 200 : status.value();
    InetSocketAddress remote = request.getRemoteAddress();
    LoggingEventBuilder line =
        log.atInfo()
            .addKeyValue("http.request.method", request.getMethod().name())
            .addKeyValue("url.path", ReactiveRequestIds.pathOf(exchange))
            .addKeyValue("http.response.status_code", code)
            .addKeyValue("event.duration", nanos)
            .addKeyValue("http.request.id", ReactiveRequestIds.of(exchange));
    if (remote != null && remote.getAddress() != null) {
      line = line.addKeyValue("client.ip", remote.getAddress().getHostAddress());
    }
    Map<String, String> labels = exchange.getAttribute(LABELS);
    if (labels != null) {
      for (var label : labels.entrySet()) {
        line = line.addKeyValue(label.getKey(), label.getValue());
      }
    }
    line.log(
        "{} {} {} {}ms",
        request.getMethod().name(),
        ReactiveRequestIds.pathOf(exchange),
        code,
        nanos / 1_000_000);
  }

  @Override
  public int getOrder() {
    // Right after the request id, so that refusals by security are logged too.
    return Ordered.HIGHEST_PRECEDENCE + 1;
  }
}
