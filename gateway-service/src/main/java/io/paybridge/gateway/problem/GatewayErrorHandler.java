package io.paybridge.gateway.problem;

import io.paybridge.platform.web.reactive.ReactiveProblems;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns every failure that reaches the top of the gateway into a problem of {@link GatewayProblem}:
 * no route (404), a method no route takes (405), an unreadable request (400), a body over the
 * route's limit (413), a service that cannot be reached or answers too late (503 with {@code
 * Retry-After}), anything else (500, logged). Before Spring Boot's own handler.
 */
@Component
@Order(-2)
class GatewayErrorHandler implements ErrorWebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

  /** A service that cannot be reached: when to try again. */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final ObjectMapper mapper;

  GatewayErrorHandler(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
    if (error instanceof RequestTooLargeException tooLarge) {
      return ReactiveProblems.write(
          mapper, GatewayProblem.REQUEST_TOO_LARGE, tooLarge.getMessage(), exchange);
    }
    if (error instanceof ResponseStatusException status) {
      int code = status.getStatusCode().value();
      if (code == HttpStatus.NOT_FOUND.value()) {
        return ReactiveProblems.write(
            mapper, GatewayProblem.NOT_FOUND, "No route for this path", exchange);
      }
      if (code == HttpStatus.METHOD_NOT_ALLOWED.value()) {
        return ReactiveProblems.write(
            mapper, GatewayProblem.METHOD_NOT_ALLOWED, status.getReason(), exchange);
      }
      if (code == HttpStatus.CONTENT_TOO_LARGE.value()) {
        return ReactiveProblems.write(
            mapper, GatewayProblem.REQUEST_TOO_LARGE, status.getReason(), exchange);
      }
      if (code == HttpStatus.GATEWAY_TIMEOUT.value()
          || code == HttpStatus.SERVICE_UNAVAILABLE.value()) {
        return unavailable(exchange, "The service did not answer in time");
      }
      if (code >= 400 && code < 500) {
        return ReactiveProblems.write(
            mapper, GatewayProblem.INVALID_REQUEST, status.getReason(), exchange);
      }
    }
    if (causedBy(error, ConnectException.class) || causedBy(error, TimeoutException.class)) {
      return unavailable(exchange, "The service cannot be reached");
    }
    log.error(
        "Request {} {} failed",
        exchange.getRequest().getMethod(),
        exchange.getRequest().getPath().value(),
        error);
    return ReactiveProblems.write(
        mapper, GatewayProblem.INTERNAL, "The request could not be processed", exchange);
  }

  private Mono<Void> unavailable(ServerWebExchange exchange, String detail) {
    return ReactiveProblems.write(
        mapper, GatewayProblem.SERVICE_UNAVAILABLE, detail, RETRY_AFTER, exchange);
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
