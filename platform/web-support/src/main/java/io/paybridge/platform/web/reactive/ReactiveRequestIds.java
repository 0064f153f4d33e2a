package io.paybridge.platform.web.reactive;

import io.paybridge.platform.web.RequestId;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The WebFlux counterpart of {@code RequestIds}, first in the chain: the caller's {@code
 * X-Request-Id} when it is a plain token, else a new UUID ({@link RequestId}). It is echoed in the
 * response, kept as an exchange attribute for problems and the access log, and set on the request
 * itself, so that a proxy (the gateway) passes the same id on and the services log it too.
 */
public final class ReactiveRequestIds implements WebFilter, Ordered {

  static final String ATTRIBUTE = ReactiveRequestIds.class.getName();
  static final String PATH_ATTRIBUTE = ReactiveRequestIds.class.getName() + ".path";

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String given = exchange.getRequest().getHeaders().getFirst(RequestId.HEADER);
    String id = RequestId.acceptOrNew(given);
    exchange.getAttributes().put(ATTRIBUTE, id);
    // The path as the client sent it: a forward (a gateway's fallback) changes the request's path.
    exchange.getAttributes().put(PATH_ATTRIBUTE, exchange.getRequest().getPath().value());
    exchange.getResponse().getHeaders().set(RequestId.HEADER, id);
    if (id.equals(given)) {
      return chain.filter(exchange);
    }
    // A forged or missing id is replaced on the request too: what is passed on is the id logged.
    return chain.filter(
        exchange
            .mutate()
            .request(request -> request.headers(headers -> headers.set(RequestId.HEADER, id)))
            .build());
  }

  /** The id of the exchange's request (a new one if the filter did not run). */
  public static String of(ServerWebExchange exchange) {
    Object id = exchange.getAttribute(ATTRIBUTE);
    return id != null ? id.toString() : RequestId.acceptOrNew(null);
  }

  /** The path the client asked for, before any forward. */
  public static String pathOf(ServerWebExchange exchange) {
    String path = exchange.getAttribute(PATH_ATTRIBUTE);
    return path != null ? path : exchange.getRequest().getPath().value();
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
