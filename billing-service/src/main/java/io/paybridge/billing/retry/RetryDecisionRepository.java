package io.paybridge.billing.retry;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@code payment_retry_decision}: one row per payment failure, and the payments' history the charge
 * dates are chosen from.
 */
@Repository
class RetryDecisionRepository {

  private final JdbcTemplate jdbc;

  RetryDecisionRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records the decision unless this failure has one: a concurrent insert of the same failure waits
   * for the first to commit, then inserts nothing.
   *
   * @return whether it was recorded now
   */
  boolean insert(Failure f, Decision d, Instant decidedAt) {
    return jdbc.update(
            """
            insert into payment_retry_decision (id, failure_event_id, payment_id, merchant_id, team,
              organisation_id, mandate_id, failure_cause, failure_reason_code, failed_at, outcome, reason,
              charge_date, attempt, explanation, decided_at, issue_state)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (failure_event_id) do nothing
            """,
            UUID.randomUUID(),
            f.failureEventId(),
            f.paymentId(),
            f.merchantId(),
            f.team(),
            f.organisationId(),
            f.mandateId(),
            f.cause(),
            f.reasonCode(),
            Timestamp.from(f.failedAt()),
            d.outcome().wire(),
            d.reason(),
            d.chargeDate() == null ? null : Date.valueOf(d.chargeDate()),
            d.attempt(),
            d.explanation(),
            Timestamp.from(decidedAt),
            d.outcome() == Decision.Outcome.SCHEDULED ? "scheduled" : null)
        == 1;
  }

  /** Failures of the payment recorded before this one (by GoCardless's time). */
  int earlierFailures(String paymentId, String failureEventId, Instant failedAt) {
    Integer n =
        jdbc.queryForObject(
            """
            select count(*) from payment_retry_decision
            where payment_id = ? and failure_event_id <> ? and failed_at <= ?
            """,
            Integer.class,
            paymentId,
            failureEventId,
            Timestamp.from(failedAt));
    return n == null ? 0 : n;
  }

  /** Retries of the payment PayBridge scheduled (other than for this failure). */
  int ourRetries(String paymentId, String failureEventId) {
    Integer n =
        jdbc.queryForObject(
            """
            select count(*) from payment_retry_decision
            where payment_id = ? and failure_event_id <> ? and outcome = 'scheduled'
            """,
            Integer.class,
            paymentId,
            failureEventId);
    return n == null ? 0 : n;
  }

  Optional<RecordedDecision> find(String failureEventId) {
    return jdbc
        .query(
            "select * from payment_retry_decision where failure_event_id = ?",
            RetryDecisionRepository::row,
            failureEventId)
        .stream()
        .findFirst();
  }

  /** The decision while its retry is still to be issued, locked for the caller's transaction. */
  Optional<RecordedDecision> lockToIssue(String failureEventId) {
    return jdbc
        .query(
            """
            select * from payment_retry_decision
            where failure_event_id = ? and issue_state = 'scheduled' for update
            """,
            RetryDecisionRepository::row,
            failureEventId)
        .stream()
        .findFirst();
  }

  void issued(String failureEventId, String state, String detail, Instant at) {
    jdbc.update(
        """
        update payment_retry_decision set issue_state = ?, issue_detail = ?, issued_at = ?
        where failure_event_id = ?
        """,
        state,
        detail,
        Timestamp.from(at),
        failureEventId);
  }

  /** The team's decisions, newest first. */
  List<RecordedDecision> list(String team, String merchantId, String paymentId, int limit) {
    var sql = new StringBuilder("select * from payment_retry_decision where team = ?");
    List<Object> args = new ArrayList<>(List.of(team));
    if (merchantId != null) {
      sql.append(" and merchant_id = ?");
      args.add(merchantId);
    }
    if (paymentId != null) {
      sql.append(" and payment_id = ?");
      args.add(paymentId);
    }
    sql.append(" order by decided_at desc, id limit ?");
    args.add(limit);
    return jdbc.query(sql.toString(), RetryDecisionRepository::row, args.toArray());
  }

  /**
   * Charge dates of the merchant's collected and failed payments, newest first: the payer's (its
   * mandate) and the other payers'. A payment PayBridge retried counts on the retry's date once the
   * retry was collected or failed (a failure newer than the one the retry answered); while the
   * retry is pending, on the date that failed.
   */
  ChargeDates.History history(
      String merchantId, String mandateId, String excludedPayment, int size) {
    List<LocalDate> payerSuccesses = new ArrayList<>();
    List<LocalDate> payerFailures = new ArrayList<>();
    List<LocalDate> merchantSuccesses = new ArrayList<>();
    jdbc.query(
        """
        select p.mandate_id, p.status,
          case when r.charge_date is null then (p.view->>'chargeDate')::date
               when p.status <> 'failed' or p.last_event_at > r.failed_at then r.charge_date
               else (p.view->>'chargeDate')::date end as charge_date
        from payment p
        left join lateral (
          select charge_date, failed_at from payment_retry_decision d
          where d.payment_id = p.id and d.issue_state = 'issued'
          order by d.failed_at desc limit 1) r on true
        where p.merchant_id = ? and p.id <> ?
          and p.status in ('confirmed', 'paid_out', 'failed')
          and p.view->>'chargeDate' ~ '^\\d{4}-\\d{2}-\\d{2}$'
        order by p.created_at desc
        limit ?
        """,
        rs -> {
          LocalDate date = rs.getDate("charge_date").toLocalDate();
          boolean payer = mandateId != null && mandateId.equals(rs.getString("mandate_id"));
          boolean failed = "failed".equals(rs.getString("status"));
          if (payer && failed) {
            payerFailures.add(date);
          } else if (payer) {
            payerSuccesses.add(date);
          } else if (!failed) {
            merchantSuccesses.add(date);
          }
        },
        merchantId,
        excludedPayment == null ? "" : excludedPayment,
        size);
    return new ChargeDates.History(payerSuccesses, payerFailures, merchantSuccesses);
  }

  private static RecordedDecision row(ResultSet rs, int i) throws SQLException {
    Date charge = rs.getDate("charge_date");
    Timestamp issued = rs.getTimestamp("issued_at");
    return new RecordedDecision(
        rs.getString("id"),
        rs.getString("failure_event_id"),
        rs.getString("payment_id"),
        rs.getString("merchant_id"),
        rs.getString("mandate_id"),
        rs.getString("failure_cause"),
        rs.getString("failure_reason_code"),
        rs.getTimestamp("failed_at").toInstant(),
        rs.getString("outcome"),
        rs.getString("reason"),
        charge == null ? null : charge.toLocalDate(),
        rs.getInt("attempt"),
        rs.getString("explanation"),
        rs.getTimestamp("decided_at").toInstant(),
        rs.getString("issue_state"),
        rs.getString("issue_detail"),
        issued == null ? null : issued.toInstant());
  }
}
