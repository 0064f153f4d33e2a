package io.paybridge.platform.operations.deadletters;

import io.paybridge.platform.operations.OperationsProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The service's dead letters for operators (docs/runbook.md): {@code GET /operations/dead-letters},
 * {@code GET /operations/dead-letters/{id}}, {@code POST /operations/dead-letters/replays}. The
 * service's security chain guards them ({@code operations:read}, {@code operations:write}).
 */
@RestController
public class DeadLetterController {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterController.class);
  static final int MAX_LIMIT = 1000;

  private final DeadLetters deadLetters;
  private final DeadLetterReplays replays;

  public DeadLetterController(DeadLetters deadLetters, DeadLetterReplays replays) {
    this.deadLetters = deadLetters;
    this.replays = replays;
  }

  /** The list's answer. */
  public record DeadLetterList(List<DeadLetter> deadLetters) {}

  /** A replay's answer. */
  public record ReplayAnswer(int replayed, String auditId) {}

  /**
   * A replay: {@code ids}, or a {@code filter} (not both).
   *
   * @param ids dead-letter ids, at most 1000
   * @param filter which dead letters to replay
   */
  public record ReplayRequest(List<String> ids, Filter filter) {}

  /** A replay's filter (all fields optional). */
  public record Filter(String topic, String eventType, Instant from, Instant to) {}

  @GetMapping("/operations/dead-letters")
  ResponseEntity<?> list(
      @RequestParam(required = false) String topic,
      @RequestParam(defaultValue = "50") int limit,
      HttpServletRequest request) {
    if (limit < 1 || limit > MAX_LIMIT) {
      return Problems.response(
          OperationsProblem.INVALID_REQUEST, "limit must be within 1.." + MAX_LIMIT, request);
    }
    return ResponseEntity.ok(new DeadLetterList(deadLetters.list(blankToNull(topic), limit)));
  }

  @GetMapping("/operations/dead-letters/{id}")
  ResponseEntity<?> get(@PathVariable String id, HttpServletRequest request) {
    return DeadLetterId.parse(id)
        .flatMap(deadLetters::find)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .orElseGet(
            () ->
                Problems.response(
                    OperationsProblem.DEAD_LETTER_NOT_FOUND,
                    "No dead letter " + id + " of consumer group " + deadLetters.group(),
                    request));
  }

  @PostMapping("/operations/dead-letters/replays")
  ResponseEntity<?> replay(@RequestBody ReplayRequest body, HttpServletRequest request) {
    if (body == null || (body.ids() == null) == (body.filter() == null)) {
      return Problems.response(
          OperationsProblem.INVALID_REQUEST,
          "The body names either ids or a filter (one of them)",
          request);
    }
    if (body.ids() != null) {
      if (body.ids().isEmpty() || body.ids().size() > MAX_LIMIT) {
        return Problems.response(
            OperationsProblem.INVALID_REQUEST,
            "ids must hold 1.." + MAX_LIMIT + " dead-letter ids",
            request);
      }
      return switch (replays.replay(body.ids())) {
        case DeadLetterReplays.Replayed done -> replayed(done);
        case DeadLetterReplays.Unknown unknown -> {
          var problem =
              Problems.body(
                  OperationsProblem.DEAD_LETTER_NOT_FOUND,
                  "No dead letter "
                      + String.join(", ", unknown.ids())
                      + " of consumer group "
                      + deadLetters.group()
                      + "; nothing was replayed",
                  request);
          problem.setProperty("unknownIds", unknown.ids());
          yield ResponseEntity.status(problem.getStatus())
              .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
              .body(problem);
        }
      };
    }
    var filter = body.filter();
    if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
      return Problems.response(
          OperationsProblem.INVALID_REQUEST, "filter.from must be before filter.to", request);
    }
    return replayed(
        replays.replay(
            new DeadLetterFilter(
                blankToNull(filter.topic()),
                blankToNull(filter.eventType()),
                filter.from(),
                filter.to())));
  }

  private static ResponseEntity<?> replayed(DeadLetterReplays.Replayed done) {
    return ResponseEntity.ok(new ReplayAnswer(done.replayed(), done.auditId().toString()));
  }

  @ExceptionHandler({
    HttpMessageNotReadableException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<?> unreadable(Exception e, HttpServletRequest request) {
    return Problems.response(
        OperationsProblem.INVALID_REQUEST,
        "The request cannot be read: a JSON body {\"ids\": [...]} or {\"filter\": {\"topic\","
            + " \"eventType\", \"from\", \"to\"}} (times as ISO-8601 instants), limit a number",
        request);
  }

  @ExceptionHandler(DeadLettersUnavailableException.class)
  ResponseEntity<?> unavailable(DeadLettersUnavailableException e, HttpServletRequest request) {
    log.warn("Dead letters of {}: {}", deadLetters.group(), e.getMessage());
    var response =
        Problems.response(
            OperationsProblem.KAFKA_UNAVAILABLE,
            "Kafka did not answer in time; a replay may have sent part of its records, and asking"
                + " again is safe",
            request);
    return ResponseEntity.status(response.getStatusCode())
        .headers(response.getHeaders())
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(response.getBody());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
