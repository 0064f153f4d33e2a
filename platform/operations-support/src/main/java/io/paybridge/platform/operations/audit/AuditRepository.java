package io.paybridge.platform.operations.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Table {@code audit_entry} (platform migration {@code V0_5}). */
final class AuditRepository {

  private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper mapper;
  private final String service;

  AuditRepository(JdbcTemplate jdbc, ObjectMapper mapper, String service) {
    this.jdbc = jdbc;
    this.mapper = mapper;
    this.service = service;
  }

  void insert(AuditEntry entry) {
    jdbc.update(
        "insert into audit_entry (id, at, action, actor, request_id, target, detail)"
            + " values (?, ?, ?, ?, ?, ?, ?::jsonb)",
        entry.id(),
        Timestamp.from(entry.at()),
        entry.action(),
        entry.actor(),
        entry.requestId(),
        entry.target(),
        mapper.writeValueAsString(entry.detail()));
  }

  /** Newest first. */
  List<AuditEntry> find(Instant from, Instant to, String action, int limit) {
    var sql =
        new StringBuilder(
            "select id, at, action, actor, request_id, target, detail::text from audit_entry where true");
    var args = new ArrayList<Object>();
    if (from != null) {
      sql.append(" and at >= ?");
      args.add(Timestamp.from(from));
    }
    if (to != null) {
      sql.append(" and at < ?");
      args.add(Timestamp.from(to));
    }
    if (action != null) {
      sql.append(" and action = ?");
      args.add(action);
    }
    sql.append(" order by at desc, id limit ?");
    args.add(limit);
    return jdbc.query(sql.toString(), this::entry, args.toArray());
  }

  /**
   * Entries about any of {@code ids}: as their target, their request id, or among the event ids or
   * dead-letter ids of their detail (a replay's {@code eventIds}, {@code ids}); oldest first.
   */
  List<AuditEntry> mentioning(Collection<String> ids, int limit) {
    return jdbc.query(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "select id, at, action, actor, request_id, target, detail::text from audit_entry"
                      + " where target = any(?) or request_id = any(?)"
                      + " or jsonb_exists_any(coalesce(detail->'eventIds', '[]'::jsonb), ?)"
                      + " or jsonb_exists_any(coalesce(detail->'ids', '[]'::jsonb), ?)"
                      + " order by at, id limit ?");
          var array = connection.createArrayOf("text", ids.toArray());
          for (int i = 1; i <= 4; i++) {
            statement.setArray(i, array);
          }
          statement.setInt(5, limit);
          return statement;
        },
        this::entry);
  }

  /** A row of {@code select id, at, action, actor, request_id, target, detail::text}. */
  private AuditEntry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new AuditEntry(
        rs.getObject(1, UUID.class),
        rs.getTimestamp(2).toInstant(),
        service,
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        mapper.readValue(rs.getString(7), DETAIL));
  }

  /** Deletes up to {@code batch} entries recorded before {@code cutoff}; how many it deleted. */
  int deleteBefore(Instant cutoff, int batch) {
    return jdbc.update(
        "delete from audit_entry where id in"
            + " (select id from audit_entry where at < ? limit ? for update skip locked)",
        Timestamp.from(cutoff),
        batch);
  }
}
