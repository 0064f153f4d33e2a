package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.web.RequestId;
import io.paybridge.platform.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.springframework.http.MediaType;
import tools.jackson.databind.ObjectMapper;

/**
 * The admission limit ({@link GroupCommitter#admit}) in front of everything else on the webhook
 * port: a Jetty handler around the servlet container, run by the thread that read the request (a
 * Jetty selector's platform thread), not by a request thread.
 *
 * <p>Past capacity a refused delivery is answered right there: no virtual thread, no servlet
 * request, no filter, tracing span, Spring MVC dispatch, signature check or parsing. On two busy
 * cores, what took a refusal longest was not its own work but its wait for a thread: while it
 * queued for one of the virtual-thread scheduler's carriers behind the admitted deliveries' work,
 * it had not even been read (docs/benchmarks.md, 2026-12-01). Every other request (an admitted
 * delivery, and every other path of the port) is handed to a virtual thread of its own, as Jetty
 * would have done.
 *
 * <p>A refused delivery's body is read and dropped before the answer, as it arrives, up to the size
 * limit: a server that answers before the body has arrived must end the connection, and the sender,
 * still sending, would then meet a reset instead of the answer and open a new connection for its
 * next delivery.
 *
 * <p>An admitted delivery carries its {@link GroupCommitter.Ticket} to the controller as a request
 * attribute; the ticket is closed here once the delivery is answered, whatever happened to it.
 */
final class WebhookAdmission extends Handler.Wrapper {

  private static final String TICKET = WebhookAdmission.class.getName() + ".ticket";

  private final GroupCommitter ingestion;
  private final WebhookMetrics metrics;
  private final RecentRejections rejections;
  private final ObjectMapper json;
  private final long maxBodySize;
  private final Executor requests;

  /**
   * @param next the servlet container's handler
   * @param requests runs every request this handler does not answer itself (virtual threads)
   */
  WebhookAdmission(
      Handler next,
      Executor requests,
      GroupCommitter ingestion,
      WebhookMetrics metrics,
      RecentRejections rejections,
      ObjectMapper json,
      long maxBodySize) {
    super(next);
    this.requests = requests;
    this.ingestion = ingestion;
    this.metrics = metrics;
    this.rejections = rejections;
    this.json = json;
    this.maxBodySize = maxBodySize;
  }

  /**
   * Never blocks, so that Jetty calls it on the thread that read the request: what blocks (the
   * servlet container) runs on a thread of its own.
   */
  @Override
  public Invocable.InvocationType getInvocationType() {
    return Invocable.InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!"POST".equals(request.getMethod())
        || !GoCardlessWebhookController.PATH.equals(Request.getPathInContext(request))) {
      requests.execute(() -> handleNext(request, response, callback));
      return true;
    }
    GroupCommitter.Ticket ticket;
    try {
      ticket = ingestion.admit();
    } catch (WebhookRejectedException saturated) {
      new Refusal(saturated, request, response, callback).discardBody();
      return true;
    }
    request.setAttribute(TICKET, ticket);
    var answered =
        new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            ticket.close();
            super.succeeded();
          }

          @Override
          public void failed(Throwable failure) {
            ticket.close();
            super.failed(failure);
          }
        };
    requests.execute(() -> handleNext(request, response, answered));
    return true;
  }

  private void handleNext(Request request, Response response, Callback callback) {
    try {
      if (!super.handle(request, response, callback)) {
        Response.writeError(request, response, callback, 404);
      }
    } catch (Throwable failure) {
      callback.failed(failure);
    }
  }

  /**
   * The admission of the delivery {@code request} carries (this handler ran before the controller).
   */
  static GroupCommitter.Ticket ticketOf(HttpServletRequest request) {
    if (!(request.getAttribute(TICKET) instanceof GroupCommitter.Ticket ticket)) {
      throw new IllegalStateException("No admission ticket: WebhookAdmission is not installed");
    }
    return ticket;
  }

  /** A delivery refused at the admission limit: its body dropped as it arrives, then the 503. */
  private final class Refusal implements Invocable.Task {

    private final WebhookRejectedException saturated;
    private final Request request;
    private final Response response;
    private final Callback callback;
    private long dropped;

    Refusal(
        WebhookRejectedException saturated, Request request, Response response, Callback callback) {
      this.saturated = saturated;
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    /** Reads what has arrived of the body; asks Jetty to call back when more does. */
    void discardBody() {
      if (request.getLength() > maxBodySize) {
        answer(); // larger than any delivery may be: Jetty ends the connection after the answer
        return;
      }
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        boolean last = chunk.isLast() || Content.Chunk.isFailure(chunk);
        dropped += chunk.remaining();
        chunk.release();
        if (last || dropped > maxBodySize) {
          answer();
          return;
        }
      }
    }

    /** Jetty's call when more of the body arrived: on the thread that read it, too. */
    @Override
    public void run() {
      discardBody();
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }

    // Possibly thousands a second while it lasts: counted (outcome saturated) and kept among the
    // recent rejections, not logged.
    private void answer() {
      try {
        writeRefusal();
      } catch (RuntimeException failure) {
        callback.failed(failure);
      }
    }

    private void writeRefusal() {
      String requestId = RequestId.acceptOrNew(request.getHeaders().get(RequestIds.HEADER));
      metrics.rejected(saturated.problem);
      rejections.record(saturated.problem, requestId);
      byte[] body =
          json.writeValueAsBytes(
              saturated.problem.body(
                  saturated.getMessage(), GoCardlessWebhookController.PATH, requestId));
      response.setStatus(saturated.problem.status());
      var headers = response.getHeaders();
      headers.put(RequestIds.HEADER, requestId);
      headers.put(HttpHeader.RETRY_AFTER, WebhookExceptionHandler.SATURATED_RETRY_AFTER_SECONDS);
      headers.put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      headers.put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
      // From Jetty's first read of the request: the wait for the selector to read it is not in it.
      metrics.refusalAnswered(System.nanoTime() - request.getBeginNanoTime());
    }
  }
}
