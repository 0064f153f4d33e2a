package io.paybridge.gateway.operations;

import io.paybridge.gateway.problem.GatewayProblem;
import io.paybridge.platform.web.reactive.ReactiveProblems;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The operators' joined reads (docs/runbook.md): {@code GET /operations/timeline?q=}, {@code GET
 * /operations/relays} and {@code GET /operations/rejections} (webhook-ingest-service's). The
 * security chain has checked the caller's token and its {@code operations:read} scope; every
 * service checks it again.
 */
@Hidden
@RestController
class OperationsController {

  private final OperationsJoin join;

  OperationsController(OperationsJoin join) {
    this.join = join;
  }

  @GetMapping("/operations/timeline")
  Mono<Map<String, Object>> timeline(
      @RequestParam(name = "q", required = false) String q,
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    return join.timeline(q, authorization);
  }

  @GetMapping("/operations/relays")
  Mono<Map<String, Object>> relays(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    return join.relays(authorization);
  }

  /** webhook-ingest-service's recent rejections (at most 1000). */
  @GetMapping("/operations/rejections")
  Mono<Map<String, Object>> rejections(
      @RequestParam(name = "limit", defaultValue = "50") String limit,
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    int count;
    try {
      count = Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (count < 1 || count > 1000) {
      return Mono.error(new InvalidOperationsQueryException("limit must be within 1..1000"));
    }
    return join.rejections(count, authorization);
  }

  @ExceptionHandler(InvalidOperationsQueryException.class)
  ResponseEntity<ProblemDetail> invalid(
      InvalidOperationsQueryException e, ServerWebExchange exchange) {
    return ResponseEntity.status(GatewayProblem.INVALID_REQUEST.status())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(ReactiveProblems.body(GatewayProblem.INVALID_REQUEST, e.getMessage(), exchange));
  }
}
