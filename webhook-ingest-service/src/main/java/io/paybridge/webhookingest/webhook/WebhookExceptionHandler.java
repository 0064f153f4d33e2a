package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.web.Problems;
import io.paybridge.platform.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns every failure of the webhook endpoint into problem+json from {@link WebhookProblem}. A
 * database that cannot be used answers 503, so that GoCardless delivers again later: whatever form
 * the failure takes ({@link WebhookRepository#meansStorageUnavailable}), including a rollback that
 * failed on a connection already closed, which Spring reports instead of the failure behind it.
 */
@RestControllerAdvice(assignableTypes = GoCardlessWebhookController.class)
class WebhookExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(WebhookExceptionHandler.class);
  private static final String RETRY_AFTER_SECONDS = "30";
  private static final String RELAY_BEHIND_RETRY_AFTER_SECONDS = "1";

  /** Also {@link WebhookAdmission}'s, which refuses before this handler could. */
  static final String SATURATED_RETRY_AFTER_SECONDS = "1";

  private final WebhookMetrics metrics;
  private final RecentRejections rejections;
  private final StorageOutageLog outageLog;

  WebhookExceptionHandler(
      WebhookMetrics metrics, RecentRejections rejections, StorageOutageLog outageLog) {
    this.metrics = metrics;
    this.rejections = rejections;
    this.outageLog = outageLog;
  }

  @ExceptionHandler(WebhookRejectedException.class)
  ResponseEntity<ProblemDetail> rejected(WebhookRejectedException e, HttpServletRequest request) {
    if (e.problem == WebhookProblem.SATURATED) {
      // Possibly thousands a second while it lasts: counted (outcome saturated), not logged.
      return withRetryAfter(
          problem(e.problem, e.getMessage(), request), SATURATED_RETRY_AFTER_SECONDS);
    }
    if (e.problem == WebhookProblem.RELAY_BEHIND) {
      // Possibly thousands a second while it lasts: counted (outcome relay_behind), not logged.
      return withRetryAfter(
          problem(e.problem, e.getMessage(), request), RELAY_BEHIND_RETRY_AFTER_SECONDS);
    }
    log.warn("Rejected webhook from {}: {}", request.getRemoteAddr(), e.getMessage());
    return problem(e.problem, e.getMessage(), request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> failed(Exception e, HttpServletRequest request) {
    if (WebhookRepository.meansStorageUnavailable(e)) {
      return unavailable(e, request);
    }
    log.error("Could not process a webhook", e);
    return problem(WebhookProblem.INTERNAL, "The webhook could not be processed", request);
  }

  private ResponseEntity<ProblemDetail> unavailable(Exception e, HttpServletRequest request) {
    // Logged per outage, not per delivery: thousands a second during a redelivery burst.
    if (e instanceof TransactionSystemException t && t.getApplicationException() != null) {
      outageLog.refused(t.getApplicationException() + " (then " + e + ")");
    } else {
      outageLog.refused(e.toString());
    }
    return withRetryAfter(
        problem(WebhookProblem.UNAVAILABLE, "The webhook store is unavailable", request),
        RETRY_AFTER_SECONDS);
  }

  private static ResponseEntity<ProblemDetail> withRetryAfter(
      ResponseEntity<ProblemDetail> response, String seconds) {
    return ResponseEntity.status(response.getStatusCode())
        .headers(response.getHeaders())
        .header(HttpHeaders.RETRY_AFTER, seconds)
        .body(response.getBody());
  }

  private ResponseEntity<ProblemDetail> problem(
      WebhookProblem problem, String detail, HttpServletRequest request) {
    metrics.rejected(problem);
    rejections.record(problem, RequestIds.of(request));
    return Problems.response(problem, detail, request);
  }
}
