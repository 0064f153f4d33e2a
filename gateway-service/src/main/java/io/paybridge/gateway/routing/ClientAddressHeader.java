package io.paybridge.gateway.routing;

import java.net.InetSocketAddress;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code X-Forwarded-For} on every routed request: the client's address as the gateway saw it (the
 * TCP peer), and nothing else. Spring Cloud Gateway has already removed the forwarding headers the
 * client sent (no trusted proxies are configured), so a client cannot choose the address it is
 * counted under; a service that believes this header from the gateway's network (oauth-service's
 * limit on refused OAuth callbacks) counts the client, not the gateway.
 */
@Component
class ClientAddressHeader implements HttpHeadersFilter, Ordered {

  static final String FORWARDED_FOR = "X-Forwarded-For";

  @Override
  public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
    InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
    if (remote == null || remote.getAddress() == null) {
      return input;
    }
    HttpHeaders headers = new HttpHeaders();
    headers.putAll(input);
    headers.set(FORWARDED_FOR, remote.getAddress().getHostAddress());
    return headers;
  }

  @Override
  public int getOrder() {
    // After Spring Cloud Gateway's own header filters, which drop the client's X-Forwarded-*.
    return Ordered.LOWEST_PRECEDENCE;
  }
}
