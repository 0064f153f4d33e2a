package io.paybridge.platform.operations.timeline;

import io.paybridge.platform.operations.audit.AuditEntry;
import io.paybridge.platform.operations.audit.AuditLog;
import io.paybridge.platform.operations.deadletters.DeadLetter;
import io.paybridge.platform.operations.deadletters.DeadLetters;
import io.paybridge.platform.outbox.TimelineContributor;
import io.paybridge.platform.outbox.TimelineStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * The operators' side of an event's timeline: the consumer's dead letters of the event or resource
 * ({@code dead-lettered}, read from its {@code *.dlt} topics, with the error), and the audit
 * entries that name it ({@code replayed} for a replay, {@code audited} for any other action), so
 * that one question shows the event failing, an operator replaying it and the replay being applied
 * ({@code consumed}, platform/outbox).
 *
 * @param deadLetters the service's dead letters, or {@code null} for a service without Kafka
 *     listeners
 * @param newestPerPartition how many of the newest records of each dead-letter partition are
 *     searched
 * @param maxAuditEntries the most audit entries given for one question
 */
public record OperationsTimelineContributor(
    AuditLog audit, DeadLetters deadLetters, int newestPerPartition, int maxAuditEntries)
    implements TimelineContributor {

  @Override
  public List<TimelineStep> steps(String service, Set<String> ids) {
    var steps = new ArrayList<TimelineStep>();
    if (deadLetters != null) {
      for (DeadLetter letter : deadLetters.about(ids, newestPerPartition)) {
        steps.add(deadLettered(service, letter));
      }
    }
    for (AuditEntry entry : audit.mentioning(ids, maxAuditEntries)) {
      steps.add(audited(service, entry));
    }
    return steps;
  }

  private TimelineStep deadLettered(String service, DeadLetter letter) {
    var detail = new LinkedHashMap<String, Object>();
    detail.put("deadLetterId", letter.id());
    putIfPresent(detail, "eventId", letter.eventId());
    putIfPresent(detail, "eventType", letter.eventType());
    detail.put("topic", letter.topic());
    putIfPresent(detail, "originalTopic", letter.originalTopic());
    detail.put("partition", letter.partition());
    detail.put("offset", letter.offset());
    putIfPresent(detail, "error", letter.error());
    return new TimelineStep(
        letter.at(),
        service,
        "dead-lettered",
        deadLetters.group()
            + " could not apply "
            + (letter.eventType() == null ? "" : letter.eventType() + " ")
            + letter.eventId()
            + ": dead-lettered to "
            + letter.topic()
            + "-"
            + letter.partition()
            + " at offset "
            + letter.offset(),
        detail);
  }

  private static TimelineStep audited(String service, AuditEntry entry) {
    var detail = new LinkedHashMap<String, Object>();
    detail.put("auditId", entry.id().toString());
    detail.put("action", entry.action());
    detail.put("actor", entry.actor());
    putIfPresent(detail, "requestId", entry.requestId());
    putIfPresent(detail, "target", entry.target());
    detail.put("audit", entry.detail());
    boolean replay = entry.action().endsWith(".replayed");
    return new TimelineStep(
        entry.at(),
        service,
        replay ? "replayed" : "audited",
        entry.actor()
            + (replay ? " replayed " : " did " + entry.action() + " to ")
            + (entry.target() == null ? "" : entry.target())
            + " (audit "
            + entry.id()
            + ")",
        detail);
  }

  private static void putIfPresent(LinkedHashMap<String, Object> detail, String key, Object value) {
    if (value != null) {
      detail.put(key, value);
    }
  }
}
