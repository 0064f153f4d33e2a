package io.paybridge.billing.projection;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The projection tables ({@code billing_request}, {@code mandate}, {@code payment}): one row per
 * GoCardless resource, its owner and its API view. The typed columns ({@code status}, {@code
 * mandate_id}, {@code amount}, ...) serve the list filters; the view is what the API answers.
 */
@Repository
public class ProjectionRepository {

  private final JdbcTemplate jdbc;
  private final ObjectMapper mapper;
  private final PersonalDataCipher personalData;

  ProjectionRepository(JdbcTemplate jdbc, ObjectMapper mapper, PersonalDataCipher personalData) {
    this.jdbc = jdbc;
    this.mapper = mapper;
    this.personalData = personalData;
  }

  private RowMapper<Projected> row(Kind kind) {
    return (rs, i) -> {
      Timestamp last = rs.getTimestamp("last_event_at");
      return new Projected(
          kind,
          rs.getString("id"),
          rs.getString("merchant_id"),
          rs.getString("team"),
          rs.getString("organisation_id"),
          rs.getString("status"),
          personalData.open((ObjectNode) mapper.readTree(rs.getString("view")), rs.getString("id")),
          rs.getTimestamp("created_at").toInstant(),
          last == null ? null : last.toInstant());
    };
  }

  public Optional<Projected> find(Kind kind, String id) {
    return jdbc.query("select * from " + kind.table + " where id = ?", row(kind), id).stream()
        .findFirst();
  }

  /** The row locked for the caller's transaction (events of one resource apply one at a time). */
  public Optional<Projected> lock(Kind kind, String id) {
    return jdbc
        .query("select * from " + kind.table + " where id = ? for update", row(kind), id)
        .stream()
        .findFirst();
  }

  public Optional<Projected> findForTeam(Kind kind, String id, String team) {
    return jdbc
        .query("select * from " + kind.table + " where id = ? and team = ?", row(kind), id, team)
        .stream()
        .findFirst();
  }

  /**
   * The rows of {@code ids} locked for the caller's transaction, by id (ids not projected are
   * absent). Locked in id order, so that two transactions locking overlapping rows never deadlock.
   */
  public Map<String, Projected> lockAll(Kind kind, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    String[] sorted = ids.stream().distinct().sorted().toArray(String[]::new);
    var rows = new HashMap<String, Projected>();
    jdbc.query(
            connection -> {
              var statement =
                  connection.prepareStatement(
                      "select * from " + kind.table + " where id = any(?) order by id for update");
              statement.setArray(1, connection.createArrayOf("varchar", sorted));
              return statement;
            },
            row(kind))
        .forEach(p -> rows.put(p.id(), p));
    return rows;
  }

  /** Inserts the resource, or replaces its view and status if it is there already. */
  public void save(Projected p) {
    saveAll(List.of(p));
  }

  /** {@link #save} for several resources, one batch of statements per table. */
  public void saveAll(Collection<Projected> resources) {
    var byStatement = new LinkedHashMap<String, List<Object[]>>();
    for (Projected p : resources) {
      Upsert upsert = upsert(p);
      byStatement.computeIfAbsent(upsert.sql(), sql -> new ArrayList<>()).add(upsert.args());
    }
    byStatement.forEach(jdbc::batchUpdate);
  }

  private record Upsert(String sql, Object[] args) {}

  private Upsert upsert(Projected p) {
    String view = mapper.writeValueAsString(personalData.seal(p.view(), p.id()));
    Timestamp last = p.lastEventAt() == null ? null : Timestamp.from(p.lastEventAt());
    Timestamp now = Timestamp.from(p.lastEventAt() != null ? p.lastEventAt() : p.createdAt());
    return switch (p.kind()) {
      case BILLING_REQUEST ->
          new Upsert(
              """
              insert into billing_request (id, merchant_id, team, organisation_id, status, mandate_id, payment_id,
                  view, created_at, updated_at, last_event_at)
              values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
              on conflict (id) do update set status = excluded.status, mandate_id = excluded.mandate_id,
                  payment_id = excluded.payment_id, view = excluded.view, updated_at = excluded.updated_at,
                  last_event_at = excluded.last_event_at
              """,
              new Object[] {
                p.id(),
                p.merchantId(),
                p.team(),
                p.organisationId(),
                p.status(),
                text(p.view(), "mandateId"),
                text(p.view(), "paymentId"),
                view,
                Timestamp.from(p.createdAt()),
                now,
                last
              });
      case MANDATE ->
          new Upsert(
              """
              insert into mandate (id, merchant_id, team, organisation_id, status, view, created_at, updated_at,
                  last_event_at)
              values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
              on conflict (id) do update set status = excluded.status, view = excluded.view,
                  updated_at = excluded.updated_at, last_event_at = excluded.last_event_at
              """,
              new Object[] {
                p.id(),
                p.merchantId(),
                p.team(),
                p.organisationId(),
                p.status(),
                view,
                Timestamp.from(p.createdAt()),
                now,
                last
              });
      case PAYMENT ->
          new Upsert(
              """
              insert into payment (id, merchant_id, team, organisation_id, mandate_id, status, amount, currency,
                  view, created_at, updated_at, last_event_at)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
              on conflict (id) do update set status = excluded.status, view = excluded.view,
                  updated_at = excluded.updated_at, last_event_at = excluded.last_event_at
              """,
              new Object[] {
                p.id(),
                p.merchantId(),
                p.team(),
                p.organisationId(),
                text(p.view(), "mandateId"),
                p.status(),
                p.view().path("amount").asLong(),
                text(p.view(), "currency"),
                view,
                Timestamp.from(p.createdAt()),
                now,
                last
              });
      case REFUND -> child(p, "paymentId", "amount", view, now, last);
      case SUBSCRIPTION -> child(p, "mandateId", "amount", view, now, last);
      case INSTALMENT_SCHEDULE -> child(p, "mandateId", "totalAmount", view, now, last);
    };
  }

  private static Upsert child(
      Projected p,
      String parentField,
      String amountField,
      String view,
      Timestamp now,
      Timestamp last) {
    var amount = p.view().get(amountField);
    return new Upsert(
        """
        insert into %s (id, merchant_id, team, organisation_id, parent_id, status, amount, currency, view,
            created_at, updated_at, last_event_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
        on conflict (id) do update set status = excluded.status, amount = excluded.amount, view = excluded.view,
            updated_at = excluded.updated_at, last_event_at = excluded.last_event_at
        """
            .formatted(p.kind().table),
        new Object[] {
          p.id(),
          p.merchantId(),
          p.team(),
          p.organisationId(),
          text(p.view(), parentField),
          p.status(),
          amount == null || amount.isNull() ? null : amount.asLong(),
          text(p.view(), "currency"),
          view,
          Timestamp.from(p.createdAt()),
          now,
          last
        });
  }

  /**
   * What the refunds of a payment known here add up to, leaving out those that came to nothing
   * ({@code failed}, {@code cancelled}, {@code bounced}).
   */
  public long refundedAmount(String paymentId) {
    Long sum =
        jdbc.queryForObject(
            """
            select coalesce(sum(amount), 0) from refund
            where parent_id = ? and status not in ('failed', 'cancelled', 'bounced')
            """,
            Long.class,
            paymentId);
    return sum == null ? 0 : sum;
  }

  /**
   * A team's resources, newest first, after the cursor.
   *
   * @param after the last row of the previous page ({@link Cursor}), or {@code null}
   */
  public List<Projected> list(
      Kind kind,
      String team,
      String merchantId,
      String status,
      Instant createdFrom,
      Instant createdBefore,
      Cursor after,
      int limit) {
    var sql = new StringBuilder("select * from " + kind.table + " where team = ?");
    List<Object> args = new ArrayList<>(List.of(team));
    if (merchantId != null) {
      sql.append(" and merchant_id = ?");
      args.add(merchantId);
    }
    if (status != null) {
      sql.append(" and status = ?");
      args.add(status);
    }
    if (createdFrom != null) {
      sql.append(" and created_at >= ?");
      args.add(Timestamp.from(createdFrom));
    }
    if (createdBefore != null) {
      sql.append(" and created_at < ?");
      args.add(Timestamp.from(createdBefore));
    }
    if (after != null) {
      sql.append(" and (created_at, id) < (?, ?)");
      args.add(Timestamp.from(after.createdAt()));
      args.add(after.id());
    }
    sql.append(" order by created_at desc, id desc limit ?");
    args.add(limit);
    return jdbc.query(sql.toString(), row(kind), args.toArray());
  }

  /** Every row of a kind, for comparisons in tests and operators' checks. */
  public List<Projected> all(Kind kind) {
    return jdbc.query("select * from " + kind.table + " order by id", row(kind));
  }

  private static String text(ObjectNode view, String field) {
    var value = view.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  /**
   * Up to {@code limit} resources of a kind whose stored metadata is not sealed under {@code
   * keyId}: sealed under another key, or stored unencrypted (non-empty), locked for the caller's
   * transaction; skipped if another instance holds them.
   */
  List<Projected> lockNotSealedUnder(Kind kind, String keyId, int limit) {
    return jdbc.query(
        "select * from "
            + kind.table
            + " where (view->>'metadataEncrypted' is not null and view->>'metadataEncrypted' not like ?)"
            + " or (jsonb_typeof(view->'metadata') = 'object' and view->'metadata' <> '{}'::jsonb)"
            + " order by id limit ? for update skip locked",
        row(kind),
        "v1." + keyId + ".%",
        limit);
  }

  /** Stores the view again, its metadata sealed under {@code keyId}. */
  void reseal(Projected p, String keyId) {
    jdbc.update(
        "update " + p.kind().table + " set view = ?::jsonb where id = ?",
        mapper.writeValueAsString(personalData.seal(p.view(), p.id(), keyId)),
        p.id());
  }

  /** How many resources of a kind have metadata not sealed under {@code keyId} (the gauge). */
  int countNotSealedUnder(Kind kind, String keyId) {
    Integer count =
        jdbc.queryForObject(
            "select count(*) from "
                + kind.table
                + " where (view->>'metadataEncrypted' is not null and view->>'metadataEncrypted' not like ?)"
                + " or (jsonb_typeof(view->'metadata') = 'object' and view->'metadata' <> '{}'::jsonb)",
            Integer.class,
            "v1." + keyId + ".%");
    return count == null ? 0 : count;
  }
}
