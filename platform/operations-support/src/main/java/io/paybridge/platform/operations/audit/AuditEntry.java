package io.paybridge.platform.operations.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One security-relevant action, as operators read it ({@code GET /operations/audit}).
 *
 * @param id the entry's id (a replay answers it as {@code auditId})
 * @param at when the action was recorded
 * @param service the service that recorded it ({@code spring.application.name})
 * @param action what was done, e.g. {@code dead-letters.replayed}
 * @param actor who did it: {@code team:<team>}, {@code client:<client id>}, {@code subject:<sub>}
 *     from the caller's JWT, or {@code system}
 * @param requestId the request's {@code X-Request-Id}, when the action came through a request
 * @param target what it was done to (an id, a topic, a filter)
 * @param detail ids, counts and outcomes; never a token or a secret
 */
public record AuditEntry(
    UUID id,
    Instant at,
    String service,
    String action,
    String actor,
    String requestId,
    String target,
    Map<String, Object> detail) {}
