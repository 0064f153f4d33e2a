package io.paybridge.gateway.operations;

import io.paybridge.platform.web.RequestId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Joins the services' operator reads: asks every service at once, with the caller's token (or the
 * service's configured one), and lists a service that fails, answers late or refuses in {@code
 * unavailable} instead of failing the whole answer.
 *
 * <p>The timeline asks twice: first about the id given, then about the event ids the first answers
 * name (a GoCardless event's facts have PayBridge ids of their own, which the services that
 * consumed them know), so that one question about {@code EV…} shows its whole way.
 */
@Service
class OperationsJoin {

  private static final Logger log = LoggerFactory.getLogger(OperationsJoin.class);

  static final String WEBHOOK_INGEST = "webhook-ingest-service";

  /** As the services accept them (platform/outbox's OperationsTimeline). */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,255}");

  private final OperationsProperties properties;
  // Boot 4 declares no WebClient.Builder bean without its webclient module; the gateway's own
  // Reactor Netty is what a plain WebClient uses.
  private final WebClient client;

  OperationsJoin(OperationsProperties properties) {
    this.properties = properties;
    this.client =
        // A payer's access export can be large (every event and delivery about their resources).
        WebClient.builder().codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20)).build();
  }

  /** The joined timeline of {@code q}: {@code {"query", "steps", "unavailable"}}. */
  Mono<Map<String, Object>> timeline(String q, Caller caller) {
    String query = q == null ? "" : q.strip();
    if (!ID.matcher(query).matches()) {
      return Mono.error(
          new InvalidOperationsQueryException(
              "q must be one id (a GoCardless event id, a resource id or a request id) of at most"
                  + " 255 letters, digits and _ . : - characters"));
    }
    return round(List.of(query), caller)
        .flatMap(
            first -> {
              var asked = Set.of(query);
              var follow = new LinkedHashSet<String>();
              for (JsonNode step : first.steps()) {
                String eventId = step.path("detail").path("eventId").asString(null);
                if (eventId != null
                    && !asked.contains(eventId)
                    && ID.matcher(eventId).matches()
                    && follow.size() < properties.followLimit()) {
                  follow.add(eventId);
                }
              }
              if (follow.isEmpty()) {
                return Mono.just(first);
              }
              return round(List.copyOf(follow), caller).map(first::and);
            })
        .map(joined -> answer(query, joined));
  }

  /** Every service's relay: {@code {"relays": [...], "unavailable": [...]}}. */
  Mono<Map<String, Object>> relays(Caller caller) {
    return Flux.fromIterable(properties.services())
        .flatMapSequential(
            service ->
                get(service, "/operations/relay", caller)
                    .map(answer -> new Part(service.name(), answer)))
        .collectList()
        .map(
            parts -> {
              var relays = new ArrayList<JsonNode>();
              var unavailable = new TreeSet<String>();
              for (var part : parts) {
                part.answer().ifPresentOrElse(relays::add, () -> unavailable.add(part.service()));
              }
              var body = new LinkedHashMap<String, Object>();
              body.put("relays", relays);
              body.put("unavailable", List.copyOf(unavailable));
              return body;
            });
  }

  /**
   * webhook-ingest-service's recent rejections, passed through: {@code {"rejections": [...],
   * "unavailable": []}}, or no rejections and the service in {@code unavailable}.
   */
  Mono<Map<String, Object>> rejections(int limit, Caller caller) {
    var ingest = properties.service(WEBHOOK_INGEST);
    if (ingest.isEmpty()) {
      return Mono.just(rejectionsAnswer(null, List.of(WEBHOOK_INGEST)));
    }
    return get(ingest.get(), "/operations/rejections?limit=" + limit, caller)
        .map(
            answer ->
                answer
                    .map(body -> rejectionsAnswer(body.path("rejections"), List.of()))
                    .orElseGet(() -> rejectionsAnswer(null, List.of(WEBHOOK_INGEST))));
  }

  private static Map<String, Object> rejectionsAnswer(
      JsonNode rejections, List<String> unavailable) {
    var body = new LinkedHashMap<String, Object>();
    body.put("rejections", rejections == null || !rejections.isArray() ? List.of() : rejections);
    body.put("unavailable", unavailable);
    return body;
  }

  private Mono<Joined> round(List<String> ids, Caller caller) {
    String query =
        ids.stream()
            .map(id -> "q=" + URLEncoder.encode(id, StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return Flux.fromIterable(properties.services())
        .flatMap(
            service ->
                get(service, "/operations/timeline?" + query, caller)
                    .map(answer -> new Part(service.name(), answer)))
        .collectList()
        .map(
            parts -> {
              var steps = new ArrayList<JsonNode>();
              var unavailable = new TreeSet<String>();
              for (var part : parts) {
                part.answer()
                    .ifPresentOrElse(
                        body -> body.path("steps").forEach(steps::add),
                        () -> unavailable.add(part.service()));
              }
              return new Joined(steps, unavailable);
            });
  }

  private Mono<Optional<JsonNode>> get(
      OperationsProperties.Service service, String pathAndQuery, Caller caller) {
    return client
        .get()
        .uri(service.url().toString() + pathAndQuery)
        .headers(headers -> caller.presentTo(service, headers))
        .retrieve()
        .bodyToMono(JsonNode.class)
        .timeout(properties.timeout())
        .map(Optional::of)
        .onErrorResume(
            e -> {
              log.warn(
                  "{} did not answer {}: {}",
                  service.name(),
                  pathAndQuery.split("\\?")[0],
                  e.toString());
              return Mono.just(Optional.empty());
            })
        .defaultIfEmpty(Optional.empty());
  }

  /**
   * The items of every service in {@code services} at {@code path} (the caller's query passed on),
   * each with its {@code service}, newest first, at most {@code limit}: {@code {itemsField: [...],
   * "unavailable": [...]}}.
   */
  Mono<Map<String, Object>> items(
      List<OperationsProperties.Service> services,
      String path,
      String rawQuery,
      String itemsField,
      int limit,
      Caller caller) {
    String pathAndQuery = rawQuery == null ? path : path + "?" + rawQuery;
    return Flux.fromIterable(services)
        .flatMap(
            service ->
                get(service, pathAndQuery, caller).map(answer -> new Part(service.name(), answer)))
        .collectList()
        .map(
            parts -> {
              var items = new ArrayList<ObjectNode>();
              var unavailable = new TreeSet<String>();
              for (var part : parts) {
                if (part.answer().isEmpty() || !part.answer().get().path(itemsField).isArray()) {
                  unavailable.add(part.service());
                  continue;
                }
                for (JsonNode item : part.answer().get().path(itemsField)) {
                  if (item instanceof ObjectNode object) {
                    object.put("service", part.service());
                    items.add(object);
                  }
                }
              }
              items.sort(Comparator.comparing(OperationsJoin::itemAt).reversed());
              var body = new LinkedHashMap<String, Object>();
              body.put(itemsField, items.stream().limit(limit).toList());
              body.put("unavailable", List.copyOf(unavailable));
              return body;
            });
  }

  /**
   * Sends one request to {@code service} and gives its answer as it is (status, type, body); a
   * service that does not answer in time is a 503 {@code service-unavailable} from the caller's
   * point of view ({@link ServiceUnavailableException}).
   */
  Mono<ResponseEntity<String>> forward(
      OperationsProperties.Service service,
      HttpMethod method,
      String pathAndQuery,
      String jsonBody,
      Caller caller) {
    var request =
        client
            .method(method)
            .uri(service.url().toString() + pathAndQuery)
            .headers(
                headers -> {
                  caller.presentTo(service, headers);
                  headers.setAccept(List.of(MediaType.APPLICATION_JSON));
                });
    if (jsonBody != null) {
      request.contentType(MediaType.APPLICATION_JSON).bodyValue(jsonBody);
    }
    return request
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
                                .body(answer)))
        .timeout(properties.timeout())
        .onErrorMap(
            e -> {
              log.warn("{} did not answer {}: {}", service.name(), method, e.toString());
              return new ServiceUnavailableException(service.name());
            });
  }

  /**
   * Who asks: the caller's {@code Authorization} header (passed on unless the service has a token
   * of its own) and the request id the gateway gave the request.
   */
  record Caller(String authorization, String requestId) {

    void presentTo(OperationsProperties.Service service, HttpHeaders headers) {
      String bearer = service.token() != null ? "Bearer " + service.token() : authorization;
      if (bearer != null) {
        headers.set(HttpHeaders.AUTHORIZATION, bearer);
      }
      if (requestId != null) {
        headers.set(RequestId.HEADER, requestId);
      }
    }

    @Override
    public String toString() {
      return "Caller[requestId=" + requestId + "]";
    }
  }

  private static Instant itemAt(ObjectNode item) {
    try {
      return Instant.parse(item.path("at").asString(""));
    } catch (DateTimeParseException e) {
      return Instant.EPOCH; // an item without a readable time goes last
    }
  }

  private static Map<String, Object> answer(String query, Joined joined) {
    var body = new LinkedHashMap<String, Object>();
    body.put("query", query);
    body.put("steps", joined.sortedSteps());
    body.put("unavailable", List.copyOf(joined.unavailable()));
    return body;
  }

  private record Part(String service, Optional<JsonNode> answer) {}

  private record Joined(List<JsonNode> steps, Set<String> unavailable) {

    Joined and(Joined other) {
      var steps = new ArrayList<>(this.steps);
      steps.addAll(other.steps);
      var unavailable = new TreeSet<>(this.unavailable);
      unavailable.addAll(other.unavailable);
      return new Joined(steps, unavailable);
    }

    /** Each step once (both questions may find it), in time order. */
    List<JsonNode> sortedSteps() {
      var unique = new LinkedHashMap<String, JsonNode>();
      for (JsonNode step : steps) {
        String key =
            step.path("service").asString("")
                + '|'
                + step.path("kind").asString("")
                + '|'
                + step.path("at").asString("")
                + '|'
                + step.path("summary").asString("");
        unique.putIfAbsent(key, step);
      }
      var sorted = new ArrayList<>(unique.values());
      sorted.sort(Comparator.comparing(OperationsJoin::at));
      return sorted;
    }
  }

  private static Instant at(JsonNode step) {
    try {
      return Instant.parse(step.path("at").asString(""));
    } catch (DateTimeParseException e) {
      return Instant.MAX; // a step without a readable time goes last
    }
  }
}
