package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.outbox.TimelineContributor;
import io.paybridge.platform.outbox.TimelineStep;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.springframework.stereotype.Component;

/**
 * The last {@value #CAPACITY} webhooks this instance refused (bad signature, malformed, too large,
 * shed while saturated or while the relay is behind, storage unavailable): when, why, the request
 * id and the status answered. Never a body, a header or a signature. In memory, per instance, since
 * it started: a refused request is never written to the database, so a flood of unsigned requests
 * costs the database nothing. Operators read it at {@code GET /operations/rejections}, and a
 * request id finds its rejection in the timeline ({@code delivery-rejected}).
 */
@Component
class RecentRejections implements TimelineContributor {

  static final int CAPACITY = 1000;

  /** One refused webhook. */
  record Rejection(Instant at, String reason, String requestId, int status) {}

  // A ring written without a lock: under a flood of refusals each costs an increment and a store.
  private final AtomicReferenceArray<Rejection> ring = new AtomicReferenceArray<>(CAPACITY);
  private final AtomicLong written = new AtomicLong();
  private final Clock clock;

  RecentRejections(Clock clock) {
    this.clock = clock;
  }

  void record(WebhookProblem problem, String requestId) {
    long slot = written.getAndIncrement();
    ring.set(
        (int) (slot % CAPACITY),
        new Rejection(
            clock.instant(),
            problem.definition().type().getPath().replaceFirst(".*/", ""),
            requestId,
            problem.status()));
  }

  /** The latest {@code limit} rejections, newest first. */
  List<Rejection> latest(int limit) {
    long end = written.get();
    var latest = new ArrayList<Rejection>(Math.min(limit, CAPACITY));
    for (long slot = end - 1;
        slot >= 0 && slot >= end - CAPACITY && latest.size() < limit;
        slot--) {
      Rejection rejection = ring.get((int) (slot % CAPACITY));
      if (rejection != null) {
        latest.add(rejection);
      }
    }
    return latest;
  }

  @Override
  public List<TimelineStep> steps(String service, Set<String> ids) {
    var steps = new ArrayList<TimelineStep>();
    for (Rejection rejection : latest(CAPACITY)) {
      if (rejection.requestId() != null && ids.contains(rejection.requestId())) {
        var detail = new LinkedHashMap<String, Object>();
        detail.put("requestId", rejection.requestId());
        detail.put("reason", rejection.reason());
        detail.put("status", rejection.status());
        steps.add(
            new TimelineStep(
                rejection.at(),
                service,
                "delivery-rejected",
                "Webhook request "
                    + rejection.requestId()
                    + " refused: "
                    + rejection.status()
                    + " "
                    + rejection.reason(),
                detail));
      }
    }
    return steps;
  }
}
