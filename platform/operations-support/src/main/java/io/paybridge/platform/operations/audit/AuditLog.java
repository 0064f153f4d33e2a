package io.paybridge.platform.operations.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The audit log of security-relevant actions (table {@code audit_entry}): token reads, merchant
 * connections and disconnections, key rotations, replays, subscription changes. {@link #record}
 * joins the caller's transaction when there is one (the entry commits, or rolls back, with the
 * action); the actor comes from the request's JWT and the request id from the logging MDC that
 * platform/web-support's {@code RequestIds} fills.
 *
 * <p>Entries never hold a token or a secret: {@link #record} refuses a detail whose key names one
 * ({@code token}, {@code secret}, {@code password}, {@code authorization}, {@code key material}),
 * so that a mistake fails loudly in tests instead of storing it.
 */
public final class AuditLog {

  private static final Pattern SECRET_KEY =
      Pattern.compile("token|secret|password|authori[sz]ation|credential|keymaterial");

  private final AuditRepository entries;
  private final AuditActors actors;
  private final Clock clock;
  private final String service;
  private final Counter removed;

  /**
   * The audit log of {@code service} in {@code jdbc}'s database.
   *
   * @param meters where {@code paybridge.audit.retention.removed} is counted
   */
  public static AuditLog create(
      org.springframework.jdbc.core.JdbcTemplate jdbc,
      tools.jackson.databind.ObjectMapper mapper,
      AuditActors actors,
      Clock clock,
      String service,
      MeterRegistry meters) {
    return new AuditLog(new AuditRepository(jdbc, mapper, service), actors, clock, service, meters);
  }

  private AuditLog(
      AuditRepository entries,
      AuditActors actors,
      Clock clock,
      String service,
      MeterRegistry meters) {
    this.entries = entries;
    this.actors = actors;
    this.clock = clock;
    this.service = service;
    this.removed =
        Counter.builder("paybridge.audit.retention.removed")
            .description(
                "Audit entries deleted because they were older than paybridge.audit.retention")
            .baseUnit("entries")
            .register(meters);
  }

  /**
   * Records that the current actor did {@code action} to {@code target}, in the caller's
   * transaction if one is open.
   *
   * @param detail ids, counts, outcomes (kept in order); never a token or a secret
   * @throws IllegalArgumentException when a detail key names a secret
   */
  public AuditEntry record(String action, String target, Map<String, ?> detail) {
    return record(actors.current(), action, target, detail);
  }

  /** As {@link #record(String, String, Map)}, for an actor the caller knows better. */
  public AuditEntry record(String actor, String action, String target, Map<String, ?> detail) {
    var copy = new LinkedHashMap<String, Object>();
    if (detail != null) {
      detail.forEach(
          (key, value) -> {
            if (SECRET_KEY
                .matcher(key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", ""))
                .find()) {
              throw new IllegalArgumentException(
                  "An audit entry never holds a secret; refused detail key " + key);
            }
            copy.put(key, value);
          });
    }
    var entry =
        new AuditEntry(
            UUID.randomUUID(),
            clock.instant(),
            service,
            action,
            actor,
            MDC.get("requestId"),
            target,
            copy);
    entries.insert(entry);
    return entry;
  }

  /** Entries recorded in [{@code from}, {@code to}), of {@code action} if given, newest first. */
  public List<AuditEntry> find(Instant from, Instant to, String action, int limit) {
    return entries.find(from, to, action, limit);
  }

  /**
   * Entries about any of {@code ids} (target, request id, or the event ids and dead-letter ids of
   * their detail), oldest first, at most {@code limit}.
   */
  public List<AuditEntry> mentioning(java.util.Collection<String> ids, int limit) {
    return ids.isEmpty() ? List.of() : entries.mentioning(ids, limit);
  }

  /**
   * Deletes entries older than {@code retention} before now, in batches; counted in {@code
   * paybridge.audit.retention.removed}.
   *
   * @return how many were deleted
   */
  public long deleteExpired(java.time.Duration retention, int batch) {
    Instant cutoff = clock.instant().minus(retention);
    long total = 0;
    int deleted;
    do {
      deleted = entries.deleteBefore(cutoff, batch);
      total += deleted;
      removed.increment(deleted);
    } while (deleted == batch);
    return total;
  }
}
