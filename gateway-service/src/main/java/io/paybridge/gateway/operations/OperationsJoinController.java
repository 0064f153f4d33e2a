package io.paybridge.gateway.operations;

import io.paybridge.gateway.problem.GatewayProblem;
import io.paybridge.gateway.routing.RoutingProperties;
import io.paybridge.platform.web.RequestId;
import io.paybridge.platform.web.reactive.ReactiveProblems;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Joins the services' operator endpoints (docs/runbook.md): {@code GET /operations/dead-letters}
 * and {@code GET /operations/audit} ask every service at once with the caller's token and merge the
 * answers newest first, each item with its {@code service}; a service that fails or is late is
 * listed in {@code unavailable}, never failing the whole answer. {@code POST
 * /operations/dead-letters/replays} goes to the service its body names. The gateway's security
 * chain checks the scopes ({@code operations:read}, {@code operations:write}); each service checks
 * them again.
 */
@RestController
@EnableConfigurationProperties(OperationsJoinProperties.class)
class OperationsJoinController {

  private static final int MAX_LIMIT = 1000;

  private final WebClient client;
  private final OperationsJoinProperties properties;
  private final RoutingProperties routing;
  private final ObjectMapper mapper;

  OperationsJoinController(
      OperationsJoinProperties properties, RoutingProperties routing, ObjectMapper mapper) {
    // Boot 4 declares no WebClient.Builder bean without its webclient module; the gateway's own
    // Reactor Netty is what a plain WebClient uses.
    this.client = WebClient.create();
    this.properties = properties;
    this.routing = routing;
    this.mapper = mapper;
  }

  @GetMapping("/operations/dead-letters")
  Mono<ResponseEntity<?>> deadLetters(ServerWebExchange exchange) {
    return join(
        exchange, properties.deadLetterServices(), "/operations/dead-letters", "deadLetters");
  }

  @GetMapping("/operations/audit")
  Mono<ResponseEntity<?>> audit(ServerWebExchange exchange) {
    return join(exchange, properties.auditServices(), "/operations/audit", "entries");
  }

  /** Body: a service's replay body plus {@code "service"}, the service to replay at. */
  @PostMapping("/operations/dead-letters/replays")
  Mono<ResponseEntity<?>> replay(
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
        || upstream(object.path("service").asString()).isEmpty()) {
      return problem(
          exchange,
          GatewayProblem.INVALID_REQUEST,
          "The body is a JSON object whose \"service\" is one of "
              + properties.deadLetterServices()
              + ", with the service's replay (\"ids\" or \"filter\")");
    }
    String service = object.remove("service").asString();
    return client
        .post()
        .uri(upstream(service).orElseThrow().resolve("/operations/dead-letters/replays"))
        .headers(headers -> passOn(exchange, headers))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(mapper.writeValueAsString(object))
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(String.class)
                    .defaultIfEmpty("")
                    .map(
                        answer ->
                            ResponseEntity.status(response.statusCode())
                                .contentType(
                                    response
                                        .headers()
                                        .contentType()
                                        .orElse(MediaType.APPLICATION_JSON))
                                .<Object>body(answer)))
        .timeout(properties.timeout())
        .<ResponseEntity<?>>map(r -> r)
        .onErrorResume(
            e ->
                problem(
                    exchange,
                    GatewayProblem.SERVICE_UNAVAILABLE,
                    service
                        + " did not answer; the replay may or may not have been sent, and"
                        + " asking again is safe"));
  }

  private Mono<ResponseEntity<?>> join(
      ServerWebExchange exchange, List<String> services, String path, String itemsField) {
    var query = exchange.getRequest().getQueryParams();
    int limit;
    try {
      limit = Integer.parseInt(Optional.ofNullable(query.getFirst("limit")).orElse("50"));
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      return problem(
          exchange, GatewayProblem.INVALID_REQUEST, "limit must be within 1.." + MAX_LIMIT);
    }
    String rawQuery = exchange.getRequest().getURI().getRawQuery();
    int max = limit;
    return Flux.fromIterable(services)
        .flatMap(service -> ask(exchange, service, path, rawQuery, itemsField))
        .collectList()
        .map(
            parts -> {
              var items = new ArrayList<ObjectNode>();
              var unavailable = new ArrayList<String>();
              for (var part : parts) {
                if (part.items() == null) {
                  unavailable.add(part.service());
                } else {
                  items.addAll(part.items());
                }
              }
              items.sort(Comparator.comparing(OperationsJoinController::at).reversed());
              var answer = new LinkedHashMap<String, Object>();
              answer.put(itemsField, items.stream().limit(max).toList());
              unavailable.sort(Comparator.naturalOrder());
              answer.put("unavailable", unavailable);
              return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
            });
  }

  private record Part(String service, List<ObjectNode> items) {}

  private Mono<Part> ask(
      ServerWebExchange exchange, String service, String path, String rawQuery, String itemsField) {
    var base = upstream(service);
    if (base.isEmpty()) {
      return Mono.just(new Part(service, null));
    }
    URI uri = URI.create(base.get().resolve(path) + (rawQuery == null ? "" : "?" + rawQuery));
    return client
        .get()
        .uri(uri)
        .headers(headers -> passOn(exchange, headers))
        .retrieve()
        .bodyToMono(String.class)
        .timeout(properties.timeout())
        .map(
            body -> {
              var items = new ArrayList<ObjectNode>();
              for (JsonNode item : mapper.readTree(body).path(itemsField)) {
                if (item instanceof ObjectNode object) {
                  object.put("service", service);
                  items.add(object);
                }
              }
              return new Part(service, items);
            })
        .onErrorResume(e -> Mono.just(new Part(service, null)));
  }

  private static Instant at(ObjectNode item) {
    try {
      return Instant.parse(item.path("at").asString());
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  private Optional<URI> upstream(String service) {
    return Optional.ofNullable(routing.upstreams().get(service));
  }

  /** The caller's token (each service checks it again) and the request id. */
  private static void passOn(ServerWebExchange exchange, HttpHeaders headers) {
    var request = exchange.getRequest().getHeaders();
    String authorization = request.getFirst(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      headers.set(HttpHeaders.AUTHORIZATION, authorization);
    }
    String requestId = exchange.getResponse().getHeaders().getFirst(RequestId.HEADER);
    if (requestId == null) {
      requestId = request.getFirst(RequestId.HEADER);
    }
    if (requestId != null) {
      headers.set(RequestId.HEADER, requestId);
    }
  }

  private static Mono<ResponseEntity<?>> problem(
      ServerWebExchange exchange, GatewayProblem problem, String detail) {
    return Mono.just(
        ResponseEntity.status(problem.status())
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(ReactiveProblems.body(problem, detail, exchange)));
  }
}
