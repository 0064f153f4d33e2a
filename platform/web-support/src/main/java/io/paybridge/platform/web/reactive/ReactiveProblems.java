package io.paybridge.platform.web.reactive;

import io.paybridge.platform.web.ProblemType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The WebFlux counterpart of {@code Problems}: problem+json bodies of a {@link ProblemType} (the
 * same catalogue mechanism and body as the servlet services), each with the request's id.
 */
public final class ReactiveProblems {

  private ReactiveProblems() {}

  public static ProblemDetail body(ProblemType problem, String detail, ServerWebExchange exchange) {
    return problem.body(
        detail, ReactiveRequestIds.pathOf(exchange), ReactiveRequestIds.of(exchange));
  }

  /**
   * Writes a problem outside an annotated controller (security, gateway filters, error handler).
   * Does nothing more if the response is already committed.
   */
  public static Mono<Void> write(
      ObjectMapper mapper, ProblemType problem, String detail, ServerWebExchange exchange) {
    return write(mapper, body(problem, detail, exchange), exchange);
  }

  /** As {@link #write(ObjectMapper, ProblemType, String, ServerWebExchange)}, with Retry-After. */
  public static Mono<Void> write(
      ObjectMapper mapper,
      ProblemType problem,
      String detail,
      Duration retryAfter,
      ServerWebExchange exchange) {
    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, seconds(retryAfter));
    return write(mapper, problem, detail, exchange);
  }

  /** Whole seconds, at least 1: the value of a {@code Retry-After} header. */
  public static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return Long.toString(Math.max(1, (millis + 999) / 1000));
  }

  private static Mono<Void> write(
      ObjectMapper mapper, ProblemDetail body, ServerWebExchange exchange) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    response.setStatusCode(HttpStatusCode.valueOf(body.getStatus()));
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    byte[] json = mapper.writeValueAsBytes(asMap(body));
    response.getHeaders().setContentLength(json.length);
    return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(json)));
  }

  /** RFC 9457 members first, then the extension members at the top level (not nested). */
  static Map<String, Object> asMap(ProblemDetail body) {
    var map = new LinkedHashMap<String, Object>();
    map.put("type", body.getType().toString());
    map.put("title", body.getTitle());
    map.put("status", body.getStatus());
    if (body.getDetail() != null) {
      map.put("detail", body.getDetail());
    }
    if (body.getInstance() != null) {
      map.put("instance", body.getInstance().toString());
    }
    if (body.getProperties() != null) {
      map.putAll(body.getProperties());
    }
    return map;
  }
}
