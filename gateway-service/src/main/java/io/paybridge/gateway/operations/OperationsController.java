package io.paybridge.gateway.operations;

import io.paybridge.gateway.problem.GatewayProblem;
import io.paybridge.platform.web.RequestId;
import io.paybridge.platform.web.reactive.ReactiveProblems;
import io.swagger.v3.oas.annotations.Hidden;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operators' endpoints the gateway joins (docs/runbook.md), all through {@link OperationsJoin}:
 * {@code GET /operations/timeline?q=}, {@code /operations/relays}, {@code
 * /operations/dead-letters}, {@code /operations/audit} (every service asked at once, a service that
 * does not answer listed in {@code unavailable}), {@code POST /operations/dead-letters/replays} (to
 * the service the body names), and webhook-ingest-service's {@code /operations/rejections}, {@code
 * /operations/quarantine} and {@code POST /operations/quarantine/replays}. The security chain has
 * checked the caller's token and its scope ({@code operations:read}, {@code operations:write} for
 * the replays); every service checks it again.
 */
@Hidden
@RestController
class OperationsController {

  private static final int MAX_LIMIT = 1000;

  private final OperationsJoin join;
  private final OperationsProperties properties;
  private final ObjectMapper mapper;

  OperationsController(OperationsJoin join, OperationsProperties properties, ObjectMapper mapper) {
    this.join = join;
    this.properties = properties;
    this.mapper = mapper;
  }

  @GetMapping("/operations/timeline")
  Mono<Map<String, Object>> timeline(
      @RequestParam(name = "q", required = false) String q, ServerWebExchange exchange) {
    return join.timeline(q, caller(exchange));
  }

  @GetMapping("/operations/relays")
  Mono<Map<String, Object>> relays(ServerWebExchange exchange) {
    return join.relays(caller(exchange));
  }

  /** webhook-ingest-service's recent rejections (at most 1000). */
  @GetMapping("/operations/rejections")
  Mono<Map<String, Object>> rejections(ServerWebExchange exchange) {
    return join.rejections(limit(exchange), caller(exchange));
  }

  @GetMapping("/operations/dead-letters")
  Mono<Map<String, Object>> deadLetters(ServerWebExchange exchange) {
    List<OperationsProperties.Service> services =
        properties.deadLetterServices().stream()
            .flatMap(name -> properties.service(name).stream())
            .toList();
    return join.items(
        services,
        "/operations/dead-letters",
        exchange.getRequest().getURI().getRawQuery(),
        "deadLetters",
        limit(exchange),
        caller(exchange));
  }

  @GetMapping("/operations/audit")
  Mono<Map<String, Object>> audit(ServerWebExchange exchange) {
    return join.items(
        properties.services(),
        "/operations/audit",
        exchange.getRequest().getURI().getRawQuery(),
        "entries",
        limit(exchange),
        caller(exchange));
  }

  /**
   * One dead letter with its payload and headers, from the service whose consumer group names its
   * dead-letter topic ({@code <topic>.<group>.dlt-<partition>-<offset>}; each service's group is
   * its name).
   */
  @GetMapping("/operations/dead-letters/{id}")
  Mono<ResponseEntity<String>> deadLetter(@PathVariable String id, ServerWebExchange exchange) {
    var service =
        properties.deadLetterServices().stream()
            .filter(name -> id.contains("." + name + ".dlt-"))
            .flatMap(name -> properties.service(name).stream())
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidOperationsQueryException(
                        "A dead letter's id is <dlt topic>-<partition>-<offset>, its topic"
                            + " <topic>.<service>.dlt of one of "
                            + properties.deadLetterServices()));
    return join.forward(
        service,
        HttpMethod.GET,
        "/operations/dead-letters/" + UriUtils.encodePathSegment(id, StandardCharsets.UTF_8),
        null,
        caller(exchange));
  }

  /** Body: a service's replay body plus {@code "service"}, the service to replay at. */
  @PostMapping("/operations/dead-letters/replays")
  Mono<ResponseEntity<String>> replayDeadLetters(
      @RequestBody(required = false) String body, ServerWebExchange exchange) {
    JsonNode json;
    try {
      json = body == null ? null : mapper.readTree(body);
    } catch (JacksonException e) {
      json = null;
    }
    if (!(json instanceof ObjectNode object)
        || !object.path("service").isString()
        || !properties.deadLetterServices().contains(object.path("service").asString())
        || properties.service(object.path("service").asString()).isEmpty()) {
      return Mono.error(
          new InvalidOperationsQueryException(
              "The body is a JSON object whose \"service\" is one of "
                  + properties.deadLetterServices()
                  + ", with the service's replay (\"ids\" or \"filter\")"));
    }
    var service = properties.service(object.remove("service").asString()).orElseThrow();
    return join.forward(
        service,
        HttpMethod.POST,
        "/operations/dead-letters/replays",
        mapper.writeValueAsString(object),
        caller(exchange));
  }

  /** webhook-ingest-service's quarantine, as it answers it (newest first). */
  @GetMapping("/operations/quarantine")
  Mono<ResponseEntity<String>> quarantine(ServerWebExchange exchange) {
    String query = exchange.getRequest().getURI().getRawQuery();
    return join.forward(
        ingest(),
        HttpMethod.GET,
        "/operations/quarantine" + (query == null ? "" : "?" + query),
        null,
        caller(exchange));
  }

  /** Releases quarantined events as stored: webhook-ingest-service's replay, audited there. */
  @PostMapping("/operations/quarantine/replays")
  Mono<ResponseEntity<String>> replayQuarantine(
      @RequestBody(required = false) String body, ServerWebExchange exchange) {
    try {
      if (body == null || !(mapper.readTree(body) instanceof ObjectNode)) {
        throw new InvalidOperationsQueryException(
            "The body is a JSON object with \"ids\" or \"filter\"");
      }
    } catch (JacksonException e) {
      throw new InvalidOperationsQueryException(
          "The body is a JSON object with \"ids\" or \"filter\"");
    }
    return join.forward(
        ingest(), HttpMethod.POST, "/operations/quarantine/replays", body, caller(exchange));
  }

  private OperationsProperties.Service ingest() {
    return properties
        .service(OperationsJoin.WEBHOOK_INGEST)
        .orElseThrow(() -> new ServiceUnavailableException(OperationsJoin.WEBHOOK_INGEST));
  }

  private static int limit(ServerWebExchange exchange) {
    String limit = exchange.getRequest().getQueryParams().getFirst("limit");
    int count;
    try {
      count = limit == null ? 50 : Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (count < 1 || count > MAX_LIMIT) {
      throw new InvalidOperationsQueryException("limit must be within 1.." + MAX_LIMIT);
    }
    return count;
  }

  /** The caller's token (each service checks it again) and the request's id. */
  private static OperationsJoin.Caller caller(ServerWebExchange exchange) {
    var request = exchange.getRequest().getHeaders();
    String requestId = exchange.getResponse().getHeaders().getFirst(RequestId.HEADER);
    if (requestId == null) {
      requestId = request.getFirst(RequestId.HEADER);
    }
    return new OperationsJoin.Caller(request.getFirst(HttpHeaders.AUTHORIZATION), requestId);
  }

  @ExceptionHandler(InvalidOperationsQueryException.class)
  ResponseEntity<ProblemDetail> invalid(
      InvalidOperationsQueryException e, ServerWebExchange exchange) {
    return problem(GatewayProblem.INVALID_REQUEST, e.getMessage(), exchange);
  }

  @ExceptionHandler(ServiceUnavailableException.class)
  ResponseEntity<ProblemDetail> unavailable(
      ServiceUnavailableException e, ServerWebExchange exchange) {
    return problem(
        GatewayProblem.SERVICE_UNAVAILABLE,
        e.service()
            + " did not answer; a replay may or may not have been applied, and asking again is"
            + " safe (a replay never applies twice)",
        exchange);
  }

  private static ResponseEntity<ProblemDetail> problem(
      GatewayProblem problem, String detail, ServerWebExchange exchange) {
    return ResponseEntity.status(problem.status())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(ReactiveProblems.body(problem, detail, exchange));
  }
}
