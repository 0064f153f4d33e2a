package io.paybridge.billing.erasure;

import io.paybridge.billing.projection.Kind;
import io.paybridge.platform.outbox.erasure.ErasureAcknowledgements;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Erasure requests and their acknowledgements ({@code erasure_request}, {@code
 * erasure_acknowledgement}), and which projected resources belong to a payer.
 */
@Repository
class ErasureRepository implements ErasureAcknowledgements {

  private final JdbcTemplate jdbc;

  ErasureRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** A request as stored: never the customer id, only its pseudonym. */
  record Request(
      UUID id, String pseudonym, String requestedBy, Instant requestedAt, int resourceCount) {}

  /** One service's acknowledgement of a request. */
  record Acknowledgement(String service, int rowsChanged, Instant appliedAt) {}

  void insert(Request request) {
    jdbc.update(
        """
        insert into erasure_request (id, customer_pseudonym, requested_by, requested_at, resource_count)
        values (?, ?, ?, ?, ?)
        """,
        request.id(),
        request.pseudonym(),
        request.requestedBy(),
        Timestamp.from(request.requestedAt()),
        request.resourceCount());
  }

  Optional<Request> find(UUID id) {
    return jdbc
        .query(
            "select * from erasure_request where id = ?",
            (rs, i) ->
                new Request(
                    rs.getObject("id", UUID.class),
                    rs.getString("customer_pseudonym"),
                    rs.getString("requested_by"),
                    rs.getTimestamp("requested_at").toInstant(),
                    rs.getInt("resource_count")),
            id)
        .stream()
        .findFirst();
  }

  List<Request> requestsFor(String pseudonym) {
    return jdbc.query(
        "select * from erasure_request where customer_pseudonym = ? order by requested_at",
        (rs, i) ->
            new Request(
                rs.getObject("id", UUID.class),
                rs.getString("customer_pseudonym"),
                rs.getString("requested_by"),
                rs.getTimestamp("requested_at").toInstant(),
                rs.getInt("resource_count")),
        pseudonym);
  }

  /**
   * Records a service's acknowledgement; a second one of the same service for the same request
   * changes nothing. An acknowledgement of a request this database does not know (made elsewhere)
   * is ignored.
   */
  @Override
  public void acknowledge(UUID requestId, String service, int rowsChanged, Instant appliedAt) {
    jdbc.update(
        """
        insert into erasure_acknowledgement (request_id, service, rows_changed, applied_at)
        select ?, ?, ?, ? where exists (select 1 from erasure_request where id = ?)
        on conflict do nothing
        """,
        requestId,
        service,
        rowsChanged,
        Timestamp.from(appliedAt),
        requestId);
  }

  List<Acknowledgement> acknowledgements(UUID requestId) {
    return jdbc.query(
        """
        select service, rows_changed, applied_at from erasure_acknowledgement
        where request_id = ? order by applied_at, service
        """,
        (rs, i) ->
            new Acknowledgement(
                rs.getString("service"),
                rs.getInt("rows_changed"),
                rs.getTimestamp("applied_at").toInstant()),
        requestId);
  }

  /**
   * The ids of the payer's projected resources, by kind: billing requests and mandates that name
   * the customer (by its id, or by its pseudonym once erased), the payments of those mandates and
   * billing requests, the subscriptions and instalment schedules of the mandates, the refunds of
   * the payments.
   */
  Map<Kind, Set<String>> resourcesOf(String customerId, String pseudonym) {
    var found = new EnumMap<Kind, Set<String>>(Kind.class);
    for (Kind kind : Kind.values()) {
      found.put(kind, new LinkedHashSet<>());
    }
    var names = new String[] {customerId, pseudonym};
    var mandates = found.get(Kind.MANDATE);
    var payments = found.get(Kind.PAYMENT);
    jdbc.query(
        connection -> {
          var s =
              connection.prepareStatement(
                  "select id, mandate_id, payment_id from billing_request"
                      + " where view->>'customerId' = any(?) order by id");
          s.setArray(1, connection.createArrayOf("varchar", names));
          return s;
        },
        rs -> {
          found.get(Kind.BILLING_REQUEST).add(rs.getString("id"));
          if (rs.getString("mandate_id") != null) {
            mandates.add(rs.getString("mandate_id"));
          }
          if (rs.getString("payment_id") != null) {
            payments.add(rs.getString("payment_id"));
          }
        });
    mandates.addAll(
        jdbc.query(
            connection -> {
              var s =
                  connection.prepareStatement(
                      "select id from mandate where view->>'customerId' = any(?) order by id");
              s.setArray(1, connection.createArrayOf("varchar", names));
              return s;
            },
            (rs, i) -> rs.getString(1)));
    payments.addAll(idsWhere("payment", "mandate_id", mandates));
    found.get(Kind.SUBSCRIPTION).addAll(idsWhere("subscription", "parent_id", mandates));
    found
        .get(Kind.INSTALMENT_SCHEDULE)
        .addAll(idsWhere("instalment_schedule", "parent_id", mandates));
    found.get(Kind.REFUND).addAll(idsWhere("refund", "parent_id", payments));
    return found;
  }

  private List<String> idsWhere(String table, String column, Set<String> values) {
    if (values.isEmpty()) {
      return List.of();
    }
    String[] array = values.toArray(String[]::new);
    return new ArrayList<>(
        jdbc.query(
            connection -> {
              // table and column are this class's constants, never input.
              var s =
                  connection.prepareStatement(
                      "select id from " + table + " where " + column + " = any(?) order by id");
              s.setArray(1, connection.createArrayOf("varchar", array));
              return s;
            },
            (rs, i) -> rs.getString(1)));
  }

  /**
   * Replaces the payload of this service's kept outbox row of a request (outbox rows are kept for
   * the outbox retention), so that the customer id it had to carry is not kept here after the
   * request was applied. Updates are not relayed: the outbox publication carries inserts only.
   *
   * @return how many rows changed (0 or 1)
   */
  int replaceOutboxPayload(String eventId, String payload) {
    return jdbc.update("update outbox_event set payload = ?::json where id = ?", payload, eventId);
  }
}
