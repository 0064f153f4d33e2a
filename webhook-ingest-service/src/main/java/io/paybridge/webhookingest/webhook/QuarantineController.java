package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Operators inspect and release the quarantine. Every request needs an operator's bearer token
 * ({@link OperatorAuthentication}); a release is audited with the operator and their reason.
 */
@RestController
@RequestMapping("/operations/quarantine")
class QuarantineController {

  private static final Logger log = LoggerFactory.getLogger(QuarantineController.class);
  private static final int MAX_LIMIT = 1000;

  private final QuarantineService quarantine;
  private final OperatorAuthentication operators;
  private final WebhookBatchParser parser;
  private final WebhookMetrics metrics;
  private final ObjectMapper mapper;
  private final QuarantineReplays replays;

  QuarantineController(
      QuarantineReplays replays,
      QuarantineService quarantine,
      OperatorAuthentication operators,
      WebhookBatchParser parser,
      WebhookMetrics metrics,
      ObjectMapper mapper) {
    this.replays = replays;
    this.quarantine = quarantine;
    this.operators = operators;
    this.parser = parser;
    this.metrics = metrics;
    this.mapper = mapper;
  }

  @GetMapping
  ResponseEntity<?> list(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestParam(defaultValue = "false") boolean includeReleased,
      @RequestParam(defaultValue = "100") int limit,
      HttpServletRequest request) {
    if (operators.operator(authorization).isEmpty()) {
      return unauthenticated(request);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      return Problems.response(
          QuarantineProblem.INVALID_REQUEST, "limit must be within 1.." + MAX_LIMIT, request);
    }
    return ResponseEntity.ok(quarantine.list(includeReleased, limit));
  }

  @GetMapping("/{id}")
  ResponseEntity<?> get(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable long id,
      HttpServletRequest request) {
    if (operators.operator(authorization).isEmpty()) {
      return unauthenticated(request);
    }
    return quarantine
        .find(id)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .orElseGet(() -> notFound(id, request));
  }

  /**
   * Body {@code {"reason": "why", "corrected": {...}}}: {@code reason} is required; {@code
   * corrected} is optional, the JSON to release instead of the stored one, kept as written.
   */
  @PostMapping("/{id}/release")
  ResponseEntity<?> release(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable long id,
      @RequestBody(required = false) String body,
      HttpServletRequest request) {
    Optional<String> operator = operators.operator(authorization);
    if (operator.isEmpty()) {
      return unauthenticated(request);
    }
    String reason;
    String corrected;
    try {
      JsonNode json = body == null ? null : mapper.readTree(body);
      reason = json == null ? null : json.path("reason").asString(null);
      corrected = json == null ? null : parser.rawProperty(body, "corrected");
    } catch (JacksonException | InvalidWebhookException e) {
      return Problems.response(
          QuarantineProblem.INVALID_REQUEST, "The body is not a JSON object", request);
    }
    if (reason == null || reason.isBlank()) {
      return Problems.response(
          QuarantineProblem.INVALID_REQUEST, "A reason is required to release an event", request);
    }
    var outcome = quarantine.release(id, corrected, operator.get(), reason);
    return switch (outcome) {
      case QuarantineService.Release.Released released -> {
        var result = released.result();
        metrics.released(result);
        log.info(
            "Operator {} released quarantined event {} ({}): {} published, {} already in the inbox,"
                + " {} quarantined",
            operator.get(),
            id,
            corrected == null ? "as stored" : "corrected",
            result.fresh().size(),
            result.duplicates().size(),
            result.quarantined().size());
        yield ResponseEntity.ok(
            new ReleaseView(
                released.event(),
                result.fresh().stream().map(GoCardlessEvent::id).toList(),
                result.duplicates().stream().map(GoCardlessEvent::id).toList(),
                result.quarantined().stream().map(QuarantineReason::tag).toList()));
      }
      case QuarantineService.Release.AlreadyReleased already ->
          Problems.response(
              QuarantineProblem.ALREADY_RELEASED,
              "Quarantined event "
                  + id
                  + " was released by "
                  + already.event().releasedBy()
                  + " at "
                  + already.event().releasedAt(),
              request);
      case QuarantineService.Release.StillInvalid invalid -> {
        var problem = Problems.body(QuarantineProblem.STILL_INVALID, invalid.detail(), request);
        problem.setProperty("reason", invalid.reason().tag());
        yield ResponseEntity.status(problem.getStatus())
            .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
            .body(problem);
      }
      case QuarantineService.Release.NotFound ignored -> notFound(id, request);
    };
  }

  /**
   * Body {@code {"ids": [1, 2]}} or {@code {"filter": {"reason": "missing_action", "from": "...",
   * "to": "..."}}} (not both), with an optional {@code "reason"} (default {@code replay}): each
   * event is released as stored (see {@link QuarantineReplays}).
   */
  @PostMapping("/replays")
  ResponseEntity<?> replay(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestBody(required = false) String body,
      HttpServletRequest request) {
    Optional<String> operator = operators.operator(authorization);
    if (operator.isEmpty()) {
      return unauthenticated(request);
    }
    JsonNode json;
    try {
      json = body == null ? null : mapper.readTree(body);
    } catch (JacksonException e) {
      json = null;
    }
    if (json == null
        || !json.isObject()
        || json.has("ids") == json.has("filter")
        || (json.has("ids") && (!json.get("ids").isArray() || json.get("ids").isEmpty()))) {
      return Problems.response(
          QuarantineProblem.INVALID_REQUEST,
          "The body names either ids (a non-empty array of quarantine ids) or a filter",
          request);
    }
    String reason = json.path("reason").asString("replay");
    QuarantineReplays.Outcome outcome;
    try {
      if (json.has("ids")) {
        var ids = new java.util.ArrayList<Long>();
        for (JsonNode id : json.get("ids")) {
          if (!id.canConvertToLong()) {
            return Problems.response(
                QuarantineProblem.INVALID_REQUEST, "ids are quarantine ids (numbers)", request);
          }
          ids.add(id.asLong());
        }
        if (ids.size() > QuarantineReplays.MAX) {
          return Problems.response(
              QuarantineProblem.INVALID_REQUEST,
              "At most " + QuarantineReplays.MAX + " ids",
              request);
        }
        outcome = replays.replay(ids, operator.get(), reason);
      } else {
        JsonNode filter = json.get("filter");
        outcome =
            replays.replay(
                new QuarantineReplays.Filter(
                    filter.path("reason").asString(null),
                    instant(filter.path("from")),
                    instant(filter.path("to"))),
                operator.get(),
                reason);
      }
    } catch (java.time.format.DateTimeParseException e) {
      return Problems.response(
          QuarantineProblem.INVALID_REQUEST, "from and to are ISO-8601 instants", request);
    }
    log.info(
        "Operator {} replayed {} quarantined events (audit {})",
        operator.get(),
        outcome.replayed(),
        outcome.auditId());
    return ResponseEntity.ok(outcome);
  }

  private static java.time.Instant instant(JsonNode value) {
    return value.isMissingNode() || value.isNull()
        ? null
        : java.time.Instant.parse(value.asString());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<?> badParameter(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    return Problems.response(
        QuarantineProblem.INVALID_REQUEST, e.getName() + " is not valid", request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<?> internal(Exception e, HttpServletRequest request) {
    log.error("Operator request {} failed", request.getRequestURI(), e);
    return Problems.response(
        QuarantineProblem.INTERNAL, "The request could not be processed", request);
  }

  private static ResponseEntity<?> unauthenticated(HttpServletRequest request) {
    var response =
        Problems.response(
            QuarantineProblem.UNAUTHENTICATED, "An operator's bearer token is required", request);
    return ResponseEntity.status(response.getStatusCode())
        .headers(response.getHeaders())
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .body(response.getBody());
  }

  private static ResponseEntity<?> notFound(long id, HttpServletRequest request) {
    return Problems.response(QuarantineProblem.NOT_FOUND, "No quarantined event " + id, request);
  }

  /**
   * The answer to a release.
   *
   * @param quarantined the quarantined event, now released
   * @param published event ids put in the outbox now
   * @param alreadyInInbox event ids the inbox already held: not published again
   * @param quarantinedAgain reasons of the events of a released body that are quarantined in turn
   */
  record ReleaseView(
      QuarantinedEvent quarantined,
      List<String> published,
      List<String> alreadyInInbox,
      List<String> quarantinedAgain) {}
}
