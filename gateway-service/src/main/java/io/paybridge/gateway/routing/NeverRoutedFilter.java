package io.paybridge.gateway.routing;

import io.paybridge.gateway.problem.GatewayProblem;
import io.paybridge.platform.web.reactive.ReactiveProblems;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Answers 404 to the paths that are never routed ({@code /internal/**}), before authentication and
 * before any route is looked up, so that no route added later and no token, however privileged,
 * reaches them. Paths that a service would normalise into one of them ({@code /a/../internal},
 * encoded slashes or dots) are refused earlier still by Spring Security's firewall (400).
 */
@Component
class NeverRoutedFilter implements WebFilter, Ordered {

  private final List<PathPattern> patterns;
  private final ObjectMapper mapper;

  NeverRoutedFilter(RoutingProperties properties, ObjectMapper mapper) {
    this.patterns =
        properties.neverRouted().stream().map(PathPatternParser.defaultInstance::parse).toList();
    this.mapper = mapper;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
    for (PathPattern pattern : patterns) {
      if (pattern.matches(path)) {
        return ReactiveProblems.write(
            mapper, GatewayProblem.NOT_FOUND, "No route for this path", exchange);
      }
    }
    return chain.filter(exchange);
  }

  @Override
  public int getOrder() {
    // After request ids and the access log, before Spring Security (-100).
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }
}
