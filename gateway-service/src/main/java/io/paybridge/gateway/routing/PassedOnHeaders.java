package io.paybridge.gateway.routing;

import io.paybridge.platform.web.reactive.AccessLog;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What a routed request carries to the service: the client's headers less those a client could
 * forge ({@link RoutingProperties#forgeable}: team, user, internal identity), the caller's W3C
 * {@code traceparent} when it is well formed (else a new trace), and the same {@code X-Request-Id}
 * as in the gateway's logs. The {@code Authorization} header is passed on unchanged: the services
 * check the token again.
 */
@Component
class PassedOnHeaders implements GlobalFilter, Ordered {

  static final String TRACEPARENT = "traceparent";
  private static final Pattern VALID_TRACEPARENT =
      Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

  private final RoutingProperties properties;

  PassedOnHeaders(RoutingProperties properties) {
    this.properties = properties;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    if (route != null) {
      AccessLog.label(exchange, "paybridge.route", route.getId());
    }
    HttpHeaders given = exchange.getRequest().getHeaders();
    String traceparent = given.getFirst(TRACEPARENT);
    boolean keepTrace = traceparent != null && VALID_TRACEPARENT.matcher(traceparent).matches();
    String trace = keepTrace ? traceparent : newTraceparent();
    AccessLog.label(exchange, "trace.id", trace.substring(3, 35));
    return chain.filter(
        exchange
            .mutate()
            .request(
                request ->
                    request.headers(
                        headers -> {
                          headers.headerNames().stream()
                              .filter(properties::forgeable)
                              .toList()
                              .forEach(headers::remove);
                          if (!keepTrace) {
                            headers.remove("tracestate");
                            headers.set(TRACEPARENT, trace);
                          }
                        }))
            .build());
  }

  private static String newTraceparent() {
    var random = ThreadLocalRandom.current();
    var hex = HexFormat.of();
    byte[] traceId = new byte[16];
    byte[] spanId = new byte[8];
    random.nextBytes(traceId);
    random.nextBytes(spanId);
    traceId[0] |= 1; // never all zeros (an invalid trace id)
    spanId[0] |= 1;
    return "00-" + hex.formatHex(traceId) + "-" + hex.formatHex(spanId) + "-01";
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
