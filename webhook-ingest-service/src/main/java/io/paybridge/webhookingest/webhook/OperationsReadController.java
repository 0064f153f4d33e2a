package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.outbox.InvalidTimelineQueryException;
import io.paybridge.platform.outbox.OperationsTimeline;
import io.paybridge.platform.outbox.RelayReports;
import io.paybridge.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform's operator reads, here behind this service's operator tokens ({@link
 * OperatorAuthentication}; the other services check the platform's JWT and its operations scope):
 * this service's part of the event timeline and its relay.
 */
@RestController
class OperationsReadController {

  private final OperationsTimeline timeline;
  private final RelayReports relays;
  private final OperatorAuthentication operators;
  private final RecentRejections rejections;

  OperationsReadController(
      OperationsTimeline timeline,
      RelayReports relays,
      OperatorAuthentication operators,
      RecentRejections rejections) {
    this.timeline = timeline;
    this.relays = relays;
    this.operators = operators;
    this.rejections = rejections;
  }

  @GetMapping("/operations/timeline")
  ResponseEntity<?> timeline(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestParam(name = "q", required = false) List<String> q,
      HttpServletRequest request) {
    if (operators.operator(authorization).isEmpty()) {
      return unauthenticated(request);
    }
    try {
      var steps = timeline.steps(q);
      var answer = new LinkedHashMap<String, Object>();
      answer.put("query", String.join(",", q));
      answer.put("steps", steps);
      answer.put("unavailable", List.of());
      return ResponseEntity.ok(answer);
    } catch (InvalidTimelineQueryException e) {
      return Problems.response(QuarantineProblem.INVALID_REQUEST, e.getMessage(), request);
    }
  }

  @GetMapping("/operations/relay")
  ResponseEntity<?> relay(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      HttpServletRequest request) {
    if (operators.operator(authorization).isEmpty()) {
      return unauthenticated(request);
    }
    return ResponseEntity.ok(relays.report());
  }

  /** The webhooks this instance refused lately, newest first (no bodies, no signatures). */
  @GetMapping("/operations/rejections")
  ResponseEntity<?> rejections(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestParam(defaultValue = "50") int limit,
      HttpServletRequest request) {
    if (operators.operator(authorization).isEmpty()) {
      return unauthenticated(request);
    }
    if (limit < 1 || limit > RecentRejections.CAPACITY) {
      return Problems.response(
          QuarantineProblem.INVALID_REQUEST,
          "limit must be within 1.." + RecentRejections.CAPACITY,
          request);
    }
    return ResponseEntity.ok(java.util.Map.of("rejections", rejections.latest(limit)));
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
}
