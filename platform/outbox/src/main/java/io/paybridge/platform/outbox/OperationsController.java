package io.paybridge.platform.outbox;

import io.paybridge.platform.web.CommonProblem;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service's operator reads of the event backbone: its part of the event timeline and its relay.
 * Registered by {@link OutboxAutoConfiguration} in a servlet service with Spring Security's
 * resource server; the service's security chain requires the operations scope on {@code
 * /operations/**} (GET).
 */
@RestController
class OperationsController {

  private final OperationsTimeline timeline;
  private final RelayReports relays;

  OperationsController(OperationsTimeline timeline, RelayReports relays) {
    this.timeline = timeline;
    this.relays = relays;
  }

  /**
   * {@code {"query", "steps", "unavailable": []}}; several {@code q} (the gateway follows the event
   * ids it found) are answered together.
   */
  @GetMapping("/operations/timeline")
  Map<String, Object> timeline(@RequestParam(name = "q", required = false) List<String> q) {
    return answer(timeline, q);
  }

  @GetMapping("/operations/relay")
  RelayReport relay() {
    return relays.report();
  }

  @ExceptionHandler(InvalidTimelineQueryException.class)
  ResponseEntity<ProblemDetail> invalid(
      InvalidTimelineQueryException e, HttpServletRequest request) {
    return Problems.response(CommonProblem.INVALID_REQUEST, e.getMessage(), request);
  }

  /** The timeline answer of {@code timeline} for {@code q}, as every service gives it. */
  static Map<String, Object> answer(OperationsTimeline timeline, List<String> q) {
    var steps = timeline.steps(q);
    var answer = new LinkedHashMap<String, Object>();
    answer.put("query", String.join(",", q));
    answer.put("steps", steps);
    answer.put("unavailable", List.of());
    return answer;
  }
}
