package io.paybridge.gateway.ratelimit;

import io.paybridge.gateway.problem.GatewayProblem;
import io.paybridge.gateway.security.Callers;
import io.paybridge.platform.web.reactive.ReactiveProblems;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code TeamRateLimit} in a route's filters: one token of the caller's bucket for the route
 * ({@link RateLimitProperties}); the caller is the token's team, or the client address on a public
 * route. Every answer carries the limit as the IETF RateLimit header fields ({@code
 * RateLimit-Policy: "<route>";q=<burst>;w=<seconds>}, {@code RateLimit:
 * "<route>";r=<remaining>;t=<seconds until full>}); a refusal is 429 {@code rate-limited} with
 * {@code Retry-After}.
 */
@Component
public class TeamRateLimitGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

  private static final Logger log =
      LoggerFactory.getLogger(TeamRateLimitGatewayFilterFactory.class);
  static final String POLICY = "RateLimit-Policy";
  static final String STATE = "RateLimit";

  private final RateLimitStore store;
  private final RateLimitProperties properties;
  private final ObjectMapper mapper;

  TeamRateLimitGatewayFilterFactory(
      RateLimitStore store, RateLimitProperties properties, ObjectMapper mapper) {
    super(Object.class);
    this.store = store;
    this.properties = properties;
    this.mapper = mapper;
  }

  @Override
  public GatewayFilter apply(Object config) {
    return (exchange, chain) -> {
      Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
      String routeId = route == null ? "unknown" : route.getId();
      String team = Callers.teamOf(exchange);
      String caller = team != null ? "team:" + team : "address:" + address(exchange);
      var limit = properties.limitOf(team, routeId);
      return store
          .take(routeId, caller, limit, exchange.getRequest())
          .map(Optional::of)
          .onErrorResume(
              e -> {
                log.warn(
                    "Rate-limit store unreachable ({}); route {} {}",
                    e.toString(),
                    routeId,
                    properties.failOpen() ? "served without a limit" : "refused");
                return Mono.just(Optional.<RateLimitStore.Outcome>empty());
              })
          .flatMap(
              outcome -> {
                if (outcome.isEmpty()) {
                  return properties.failOpen()
                      ? chain.filter(exchange)
                      : ReactiveProblems.write(
                          mapper,
                          GatewayProblem.SERVICE_UNAVAILABLE,
                          "The request rate cannot be checked now",
                          Duration.ofSeconds(1),
                          exchange);
                }
                var taken = outcome.get();
                HttpHeaders headers = exchange.getResponse().getHeaders();
                headers.set(
                    POLICY,
                    "\""
                        + routeId
                        + "\";q="
                        + limit.burstCapacity()
                        + ";w="
                        + limit.windowSeconds());
                long missing = limit.burstCapacity() - taken.remaining();
                long untilFull = (missing + limit.replenishRate() - 1) / limit.replenishRate();
                headers.set(
                    STATE, "\"" + routeId + "\";r=" + taken.remaining() + ";t=" + untilFull);
                if (taken.allowed()) {
                  return chain.filter(exchange);
                }
                // The rate is at least 1/s and the store counts whole seconds: a token is back
                // within a second.
                Duration retryAfter = Duration.ofSeconds(1);
                return ReactiveProblems.write(
                    mapper,
                    GatewayProblem.RATE_LIMITED,
                    "More than "
                        + limit.burstCapacity()
                        + " requests at once or "
                        + limit.replenishRate()
                        + " per second on this route",
                    retryAfter,
                    exchange);
              });
    };
  }

  private static String address(ServerWebExchange exchange) {
    InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
    return remote == null || remote.getAddress() == null
        ? "unknown"
        : remote.getAddress().getHostAddress();
  }
}
