package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.web.RequestId;
import io.paybridge.platform.web.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * The admission limit ({@link GroupCommitter#admit}) in front of everything else a webhook passes:
 * first in the filter chain, so that past capacity a refusal costs only this check and a short
 * answer — no tracing span, no security chain, no Spring MVC dispatch, no signature check or
 * parsing of the body. The work done for refused requests is taken from the writers on the same
 * cores, so every step skipped here is more deliveries stored (docs/benchmarks.md, the 2×
 * saturation phase).
 *
 * <p>A refused delivery's body is read and dropped before the answer (up to the size limit): a
 * server that answers before the body has arrived must end the connection, and the sender, still
 * sending, would then meet a reset instead of the answer, and open a new connection for its next
 * delivery.
 *
 * <p>An admitted delivery carries its {@link GroupCommitter.Ticket} to the controller as a request
 * attribute; the ticket is closed here once the delivery is answered, whatever happened to it.
 */
final class WebhookAdmission extends OncePerRequestFilter {

  private static final String TICKET = WebhookAdmission.class.getName() + ".ticket";

  private final GroupCommitter ingestion;
  private final WebhookMetrics metrics;
  private final RecentRejections rejections;
  private final ObjectMapper json;
  private final long maxBodySize;

  WebhookAdmission(
      GroupCommitter ingestion,
      WebhookMetrics metrics,
      RecentRejections rejections,
      ObjectMapper json,
      long maxBodySize) {
    this.ingestion = ingestion;
    this.metrics = metrics;
    this.rejections = rejections;
    this.json = json;
    this.maxBodySize = maxBodySize;
  }

  // Mapped to the webhook's path by its registration (the servlet container's path matching, on the
  // same normalised path the controller is found by): only the method is left to check here.
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    GroupCommitter.Ticket ticket;
    try {
      ticket = ingestion.admit();
    } catch (WebhookRejectedException saturated) {
      refuse(saturated, request, response);
      return;
    }
    try (ticket) {
      request.setAttribute(TICKET, ticket);
      chain.doFilter(request, response);
    }
  }

  /** Reads and drops the body, unless it is larger than any delivery may be (then 413 anyway). */
  private void skipBody(HttpServletRequest request) throws IOException {
    long length = request.getContentLengthLong();
    if (length > maxBodySize) {
      return;
    }
    // Its declared length, or what a body without one arrives in, at most the limit.
    byte[] scratch = new byte[(int) Math.min(length > 0 ? length : 8192, 8192)];
    var in = request.getInputStream();
    long read = 0;
    for (int n; read <= maxBodySize && (n = in.read(scratch)) != -1; ) {
      read += n;
    }
  }

  /**
   * The admission of the delivery {@code request} carries (its filter ran before the controller).
   */
  static GroupCommitter.Ticket ticketOf(HttpServletRequest request) {
    if (!(request.getAttribute(TICKET) instanceof GroupCommitter.Ticket ticket)) {
      throw new IllegalStateException("No admission ticket: WebhookAdmission is not registered");
    }
    return ticket;
  }

  // Possibly thousands a second while it lasts: counted (outcome saturated) and kept among the
  // recent rejections, not logged.
  private void refuse(
      WebhookRejectedException saturated, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    // Whichever of this filter and RequestIds ran first, the answer carries one request id.
    String requestId = response.getHeader(RequestIds.HEADER);
    if (requestId == null) {
      requestId = RequestId.acceptOrNew(request.getHeader(RequestIds.HEADER));
      response.setHeader(RequestIds.HEADER, requestId);
    }
    metrics.rejected(saturated.problem);
    rejections.record(saturated.problem, requestId);
    skipBody(request);
    response.setStatus(saturated.problem.status());
    response.setHeader(
        HttpHeaders.RETRY_AFTER, WebhookExceptionHandler.SATURATED_RETRY_AFTER_SECONDS);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    byte[] body =
        json.writeValueAsBytes(
            saturated.problem.body(saturated.getMessage(), request.getRequestURI(), requestId));
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
