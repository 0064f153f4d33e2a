package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.operations.audit.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Replays of quarantined events ({@code POST /operations/quarantine/replays}), the dead-letter
 * replay shape of the other services: each event is released as stored, one transaction each, as
 * {@link QuarantineService#release} does after a fix of the service. An event released before is
 * not released again, and a released event the inbox already holds is not published again, so a
 * replay never publishes an event twice. Audited ({@code quarantine.replayed}) before anything is
 * released.
 */
@Component
class QuarantineReplays {

  /** Most quarantined events a filter takes (the oldest first). */
  static final int MAX = 1000;

  private final QuarantineService quarantine;
  private final AuditLog audit;

  QuarantineReplays(QuarantineService quarantine, AuditLog audit) {
    this.quarantine = quarantine;
    this.audit = audit;
  }

  /** Which unreleased quarantined events to replay (all fields optional). */
  record Filter(String reason, Instant from, Instant to) {

    boolean matches(QuarantinedEvent event) {
      return (reason == null || reason.equals(event.reason()))
          && (from == null || !event.createdAt().isBefore(from))
          && (to == null || event.createdAt().isBefore(to));
    }
  }

  /**
   * What a replay did.
   *
   * @param replayed events released now
   * @param auditId the replay's audit entry
   * @param alreadyReleased ids released before: nothing done
   * @param stillInvalid ids whose stored content still cannot be routed: they stay quarantined
   * @param notFound ids of no quarantined event
   */
  record Outcome(
      int replayed,
      UUID auditId,
      List<Long> alreadyReleased,
      List<Long> stillInvalid,
      List<Long> notFound) {}

  Outcome replay(List<Long> ids, String operator, String reason) {
    return run(ids.stream().distinct().toList(), "ids", operator, reason);
  }

  Outcome replay(Filter filter, String operator, String reason) {
    var ids =
        quarantine.list(false, MAX).stream()
            .filter(filter::matches)
            .map(QuarantinedEvent::id)
            .sorted()
            .toList();
    return run(ids, "filter", operator, reason);
  }

  private Outcome run(List<Long> ids, String how, String operator, String reason) {
    var detail = new LinkedHashMap<String, Object>();
    detail.put("by", how);
    detail.put("ids", ids);
    detail.put("reason", reason);
    var entry =
        audit.record(
            "operator:" + operator,
            "quarantine.replayed",
            ids.size() == 1
                ? "quarantined-event " + ids.getFirst()
                : ids.size() + " quarantined events",
            detail);
    int replayed = 0;
    var already = new ArrayList<Long>();
    var invalid = new ArrayList<Long>();
    var missing = new ArrayList<Long>();
    for (long id : ids) {
      switch (quarantine.release(id, null, operator, reason)) {
        case QuarantineService.Release.Released released -> replayed++;
        case QuarantineService.Release.AlreadyReleased ignored -> already.add(id);
        case QuarantineService.Release.StillInvalid ignored -> invalid.add(id);
        case QuarantineService.Release.NotFound ignored -> missing.add(id);
      }
    }
    return new Outcome(replayed, entry.id(), already, invalid, missing);
  }
}
