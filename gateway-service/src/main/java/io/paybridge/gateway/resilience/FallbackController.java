package io.paybridge.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.paybridge.gateway.problem.GatewayProblem;
import io.paybridge.gateway.problem.RequestTooLargeException;
import io.paybridge.platform.web.reactive.ReactiveProblems;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Where a route's circuit breaker forwards a failed call ({@code fallbackUri:
 * forward:/fallback/<service>}): 503 {@code service-unavailable} with {@code Retry-After}, at once,
 * whether the service refused the connection, answered too late, or its circuit is open. Reached
 * only by that forward: a client calling this path directly gets 404.
 */
@Hidden
@RestController
class FallbackController {

  private static final Logger log = LoggerFactory.getLogger(FallbackController.class);

  private final ObjectMapper mapper;
  private final ResilienceProperties properties;

  FallbackController(ObjectMapper mapper, ResilienceProperties properties) {
    this.mapper = mapper;
    this.properties = properties;
  }

  @RequestMapping("/fallback/{service}")
  Mono<Void> fallback(@PathVariable String service, ServerWebExchange exchange) {
    Throwable failure =
        exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
    if (failure == null) {
      return ReactiveProblems.write(
          mapper, GatewayProblem.NOT_FOUND, "No route for this path", exchange);
    }
    if (failure instanceof RequestTooLargeException tooLarge) {
      return Mono.error(tooLarge);
    }
    var breaker = properties.of(service);
    String detail;
    if (failure instanceof CallNotPermittedException) {
      detail = service + " is failing; calls are held back for a while";
    } else if (failure instanceof TimeoutException) {
      detail = service + " did not answer within " + breaker.timeout().toMillis() + " ms";
    } else {
      detail = service + " cannot be reached";
    }
    log.warn(
        "{} {}: {} ({})",
        exchange.getRequest().getMethod(),
        exchange.getRequest().getPath(),
        detail,
        failure.toString());
    return ReactiveProblems.write(
        mapper, GatewayProblem.SERVICE_UNAVAILABLE, detail, breaker.waitInOpenState(), exchange);
  }
}
