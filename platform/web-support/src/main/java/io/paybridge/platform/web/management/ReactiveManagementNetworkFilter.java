package io.paybridge.platform.web.management;

import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The WebFlux counterpart of {@link ManagementNetworkFilter}, on the management port only: the
 * probes to anyone, every other actuator path to clients of the trusted networks, 403 otherwise;
 * first in the management server's chain, before any authentication.
 */
public final class ReactiveManagementNetworkFilter implements WebFilter, Ordered {

  private static final Logger log = LoggerFactory.getLogger(ReactiveManagementNetworkFilter.class);

  private final ManagementClients clients;

  public ReactiveManagementNetworkFilter(ManagementPortProperties properties) {
    this.clients = new ManagementClients(properties);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    var request = exchange.getRequest();
    String path = request.getPath().pathWithinApplication().value();
    InetSocketAddress remote = request.getRemoteAddress();
    String address =
        remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
    if (clients.allowed(path, address)) {
      return chain.filter(exchange);
    }
    log.warn(
        "Refused management request {} {} from {}: not a trusted network",
        request.getMethod(),
        path,
        address);
    var response = exchange.getResponse();
    response.setStatusCode(HttpStatus.FORBIDDEN);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return response.writeWith(
        Mono.fromSupplier(() -> response.bufferFactory().wrap(ManagementClients.REFUSED)));
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
