package io.paybridge.gateway.operations;

import io.paybridge.gateway.problem.GatewayProblem;
import io.paybridge.platform.web.reactive.ReactiveProblems;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One access export about a payer ({@code GET /operations/payers/{customerId}/export}, scope {@code
 * operations:write}, checked by the security chain like every operator path): billing-service knows
 * the payer's resources, so its export is asked first; webhook-ingest-service's and
 * notification-service's parts are then asked by the resource ids billing lists. The services and
 * how each is called are those of the other joined reads ({@link OperationsJoin#forward}, {@link
 * OperationsProperties}: the caller's token passed on, or the service's configured token,
 * webhook-ingest-service's operator token; each within {@code timeout}); the request id is passed
 * on. A part that does not answer (or answers with an error) is named in {@code unavailable} and
 * the others are still answered; without billing-service's part there are no resource ids to ask
 * by, so the gateway answers 503, or billing-service's own error (an invalid customer id, a token
 * it refuses) as it gave it.
 */
@Hidden
@RestController
class PayerExportController {

  private static final Logger log = LoggerFactory.getLogger(PayerExportController.class);

  static final String BILLING = "billing-service";
  static final String WEBHOOK_INGEST = "webhook-ingest-service";
  static final String NOTIFICATION = "notification-service";
  private static final String REQUEST_ID = "X-Request-Id";

  private final OperationsJoin join;
  private final OperationsProperties properties;
  private final ObjectMapper mapper;

  PayerExportController(OperationsJoin join, OperationsProperties properties, ObjectMapper mapper) {
    this.join = join;
    this.properties = properties;
    this.mapper = mapper;
  }

  @GetMapping(value = "/operations/payers/{customerId}/export")
  Mono<Void> export(@PathVariable String customerId, ServerWebExchange exchange) {
    var incoming = exchange.getRequest().getHeaders();
    return call(BILLING, "/operations/payers/{customerId}/export", customerId, List.of(), incoming)
        .flatMap(
            billing -> {
              if (!billing.ok()) {
                return passOn(billing, exchange);
              }
              JsonNode billingExport = mapper.readTree(billing.body());
              List<String> ids = resourceIds(billingExport);
              var webhooks =
                  part(
                      WEBHOOK_INGEST,
                      "/operations/payers/{customerId}/events",
                      customerId,
                      ids,
                      incoming);
              var deliveries =
                  part(
                      NOTIFICATION,
                      "/operations/payers/{customerId}/deliveries",
                      customerId,
                      ids,
                      incoming);
              return Mono.zip(webhooks, deliveries)
                  .flatMap(
                      parts -> {
                        ObjectNode joined = mapper.createObjectNode();
                        joined.put("customerId", customerId);
                        ObjectNode services = joined.putObject("services");
                        var unavailable = joined.putArray("unavailable");
                        services.set(BILLING, billingExport);
                        for (Part part : List.of(parts.getT1(), parts.getT2())) {
                          if (part.export() == null) {
                            unavailable.add(part.service());
                          } else {
                            services.set(part.service(), part.export());
                          }
                        }
                        return write(HttpStatus.OK, mapper.writeValueAsString(joined), exchange);
                      });
            })
        .onErrorResume(
            Unreachable.class,
            e ->
                ReactiveProblems.write(
                    mapper,
                    GatewayProblem.SERVICE_UNAVAILABLE,
                    BILLING + " cannot answer: the payer's resources are not known without it",
                    exchange));
  }

  /** A service's part, or one with no export when it did not answer well. */
  private Mono<Part> part(
      String service, String path, String customerId, List<String> ids, HttpHeaders incoming) {
    return call(service, path, customerId, ids, incoming)
        .map(
            answer -> {
              if (!answer.ok()) {
                log.warn("{} answered {} to a payer's export", service, answer.status());
                return new Part(service, null);
              }
              return new Part(service, mapper.readTree(answer.body()));
            })
        .onErrorResume(
            e -> {
              if (!(e instanceof Unreachable)) {
                log.warn(
                    "{}'s part of a payer's export is not readable: {}", service, e.toString());
              }
              return Mono.just(new Part(service, null));
            });
  }

  private Mono<Answer> call(
      String service, String path, String customerId, List<String> ids, HttpHeaders incoming) {
    var configured = properties.service(service);
    if (configured.isEmpty()) {
      return Mono.error(new Unreachable(service + " is not in paybridge.gateway.operations", null));
    }
    var uri = UriComponentsBuilder.fromPath(path);
    if (!ids.isEmpty()) {
      uri.queryParam("resourceId", ids.toArray());
    }
    URI built = uri.buildAndExpand(customerId).encode().toUri();
    String pathAndQuery =
        built.getRawPath() + (built.getRawQuery() == null ? "" : "?" + built.getRawQuery());
    var caller =
        new OperationsJoin.Caller(
            incoming.getFirst(HttpHeaders.AUTHORIZATION), incoming.getFirst(REQUEST_ID));
    return join.forward(configured.get(), HttpMethod.GET, pathAndQuery, null, caller)
        .map(
            response ->
                new Answer(
                    response.getStatusCode().value(),
                    response.getHeaders().getContentType(),
                    response.getBody()))
        .onErrorMap(
            ServiceUnavailableException.class,
            e -> new Unreachable(service + " did not answer", e));
  }

  /** The ids of every resource in billing-service's export ({@code records.<kind>[].id}). */
  private static List<String> resourceIds(JsonNode billingExport) {
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode list : billingExport.path("records")) {
      for (JsonNode resource : list) {
        String id = resource.path("id").asString("");
        if (!id.isEmpty()) {
          ids.add(id);
        }
      }
    }
    return new ArrayList<>(ids);
  }

  private static void copy(HttpHeaders from, HttpHeaders to, String name) {
    String value = from.getFirst(name);
    if (value != null) {
      to.set(name, value);
    }
  }

  private static Mono<Void> passOn(Answer answer, ServerWebExchange exchange) {
    var response = exchange.getResponse();
    if (answer.contentType() != null) {
      response.getHeaders().setContentType(answer.contentType());
    }
    response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
    return write(answer.body(), exchange);
  }

  private static Mono<Void> write(HttpStatus status, String json, ServerWebExchange exchange) {
    exchange.getResponse().setStatusCode(status);
    exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
    return write(json, exchange);
  }

  private static Mono<Void> write(String body, ServerWebExchange exchange) {
    var response = exchange.getResponse();
    var buffer =
        response.bufferFactory().wrap(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buffer));
  }

  private record Answer(int status, MediaType contentType, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private record Part(String service, JsonNode export) {}

  /** A service that could not be reached, or did not answer in its time. */
  private static final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
