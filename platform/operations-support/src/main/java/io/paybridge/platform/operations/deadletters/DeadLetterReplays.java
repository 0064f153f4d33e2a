package io.paybridge.platform.operations.deadletters;

import io.paybridge.platform.operations.audit.AuditLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

/**
 * Replays dead letters, one by one or by filter, each replay audited ({@code
 * dead-letters.replayed}) before anything is sent: what was asked, by whom, and how many records it
 * took. A replay that Kafka cuts short is audited too; asking again is safe (see {@link
 * DeadLetters}).
 */
public final class DeadLetterReplays {

  /** Audit action of a replay. */
  public static final String ACTION = "dead-letters.replayed";

  private static final int IDS_IN_AUDIT = 100;

  private final DeadLetters deadLetters;
  private final AuditLog audit;
  private final int maxRecords;

  /**
   * @param maxRecords most records one replay sends (a filter that takes more replays the oldest
   *     {@code maxRecords}; the answer's count says so)
   */
  public DeadLetterReplays(DeadLetters deadLetters, AuditLog audit, int maxRecords) {
    this.deadLetters = deadLetters;
    this.audit = audit;
    this.maxRecords = maxRecords;
  }

  /** What a replay did. */
  public sealed interface Outcome {}

  /** The records were sent back; {@code auditId} is the audit entry of the replay. */
  public record Replayed(int replayed, UUID auditId) implements Outcome {}

  /** Some of the ids name no dead letter of this service: nothing was replayed. */
  public record Unknown(List<String> ids) implements Outcome {}

  /** Replays the dead letters with these ids (each at most once however often it is listed). */
  public Outcome replay(List<String> ids) {
    var letters = new ArrayList<DeadLetter>();
    var unknown = new ArrayList<String>();
    for (String id : ids.stream().distinct().toList()) {
      var letter = DeadLetterId.parse(id).flatMap(deadLetters::read);
      letter.ifPresentOrElse(letters::add, () -> unknown.add(id));
    }
    if (!unknown.isEmpty()) {
      return new Unknown(unknown);
    }
    var detail = new LinkedHashMap<String, Object>();
    detail.put("group", deadLetters.group());
    detail.put("count", letters.size());
    detail.put("ids", letters.stream().map(DeadLetter::id).limit(IDS_IN_AUDIT).toList());
    detail.put("eventIds", letters.stream().map(DeadLetter::eventId).limit(IDS_IN_AUDIT).toList());
    var entry = audit.record(ACTION, String.join(",", ids.stream().limit(10).toList()), detail);
    return new Replayed(deadLetters.replay(letters), entry.id());
  }

  /** Replays every dead letter {@code filter} takes, oldest first, up to the maximum. */
  public Replayed replay(DeadLetterFilter filter) {
    var letters = deadLetters.matching(filter, maxRecords);
    var detail = new LinkedHashMap<String, Object>();
    detail.put("group", deadLetters.group());
    detail.put("count", letters.size());
    detail.put("filter", filterOf(filter));
    detail.put("ids", letters.stream().map(DeadLetter::id).limit(IDS_IN_AUDIT).toList());
    detail.put("eventIds", letters.stream().map(DeadLetter::eventId).limit(IDS_IN_AUDIT).toList());
    var entry = audit.record(ACTION, "filter " + filterOf(filter), detail);
    return new Replayed(deadLetters.replay(letters), entry.id());
  }

  private static java.util.Map<String, String> filterOf(DeadLetterFilter filter) {
    var map = new LinkedHashMap<String, String>();
    if (filter.topic() != null) {
      map.put("topic", filter.topic());
    }
    if (filter.eventType() != null) {
      map.put("eventType", filter.eventType());
    }
    if (filter.from() != null) {
      map.put("from", filter.from().toString());
    }
    if (filter.to() != null) {
      map.put("to", filter.to().toString());
    }
    return map;
  }
}
