package io.paybridge.billing.retry;

import io.paybridge.billing.merchant.Merchants;
import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.Projected;
import io.paybridge.billing.projection.ProjectionRepository;
import io.paybridge.billing.projection.Projections;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.events.billing.PaymentFact.PaymentFailed;
import io.paybridge.platform.events.billing.PaymentFact.PaymentRetryDeclined;
import io.paybridge.platform.events.billing.PaymentFact.PaymentRetryScheduled;
import io.paybridge.platform.outbox.OutboxWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Smart retries' decisions: on each payment failure, whether PayBridge retries it and when ({@link
 * RetryRules}, {@link ChargeDates}), recorded once per failure together with its fact ({@code
 * PaymentRetryScheduled} / {@code PaymentRetryDeclined}) in the caller's transaction; the
 * merchants' policies; a preview for a failed payment; the recorded decisions.
 */
@Service
public class RetryDecisions {

  private final RetryPolicyRepository policies;
  private final RetryDecisionRepository decisions;
  private final ProjectionRepository projections;
  private final Projections teamProjections;
  private final Merchants merchants;
  private final OutboxWriter outbox;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final RetryProperties properties;
  private final RetryRules rules;

  RetryDecisions(
      RetryPolicyRepository policies,
      RetryDecisionRepository decisions,
      ProjectionRepository projections,
      Projections teamProjections,
      Merchants merchants,
      OutboxWriter outbox,
      ObjectMapper mapper,
      Clock clock,
      RetryProperties properties) {
    this.policies = policies;
    this.decisions = decisions;
    this.projections = projections;
    this.teamProjections = teamProjections;
    this.merchants = merchants;
    this.outbox = outbox;
    this.mapper = mapper;
    this.clock = clock;
    this.properties = properties;
    this.rules = new RetryRules(properties.leadWorkingDays());
  }

  /** The team's merchant's policy (the defaults while its team has set none). */
  public RetryPolicy policy(String team, String merchantId) {
    merchants.ownedBy(team, merchantId);
    return policyOf(merchantId);
  }

  /**
   * Sets the team's merchant's policy; a value not given keeps the current one.
   *
   * @throws InvalidRetryPolicyException outside the limits (nothing stored)
   */
  public RetryPolicy setPolicy(
      String team, String merchantId, Boolean enabled, Integer maxRetries, Integer windowDays) {
    merchants.ownedBy(team, merchantId);
    RetryPolicy current = policyOf(merchantId);
    Instant now = clock.instant();
    var updated =
        new RetryPolicy(
            merchantId,
            enabled == null ? current.enabled() : enabled,
            maxRetries == null ? current.maxRetries() : maxRetries,
            windowDays == null ? current.windowDays() : windowDays,
            now);
    policies.save(team, updated, now);
    return updated;
  }

  private RetryPolicy policyOf(String merchantId) {
    return policies
        .find(merchantId)
        .orElseGet(
            () ->
                new RetryPolicy(
                    merchantId,
                    properties.enabledByDefault(),
                    properties.defaultMaxRetries(),
                    properties.defaultWindowDays(),
                    null));
  }

  /**
   * Decides on a failure and records the decision and its fact, unless this failure (GoCardless's
   * event id) has one already; in the caller's transaction.
   *
   * @return the decision if it was recorded now
   */
  public Optional<Decision> onFailure(PaymentFailed fact) {
    if (decisions.find(fact.gocardlessEventId()).isPresent()) {
      return Optional.empty();
    }
    Optional<Projected> payment = projections.find(Kind.PAYMENT, fact.paymentId());
    var failure =
        new Failure(
            fact.gocardlessEventId(),
            fact.paymentId(),
            fact.merchantId(),
            fact.team(),
            fact.organisationId(),
            fact.mandateId(),
            fact.amount(),
            fact.currency(),
            payment.map(p -> text(p.view(), "scheme")).orElse(null),
            fact.cause(),
            fact.reasonCode(),
            fact.willAttemptRetry(),
            fact.occurredAt());
    Decision decision = decide(failure);
    Instant now = clock.instant();
    if (!decisions.insert(failure, decision, now)) {
      return Optional.empty();
    }
    BillingFact published =
        decision.outcome() == Decision.Outcome.SCHEDULED
            ? new PaymentRetryScheduled(
                fact.merchantId(),
                fact.team(),
                fact.organisationId(),
                fact.paymentId(),
                fact.mandateId(),
                fact.amount(),
                fact.currency(),
                decision.chargeDate(),
                decision.attempt(),
                decision.reason(),
                fact.cause(),
                now,
                fact.occurredAt(),
                fact.gocardlessEventId())
            : new PaymentRetryDeclined(
                fact.merchantId(),
                fact.team(),
                fact.organisationId(),
                fact.paymentId(),
                fact.mandateId(),
                fact.amount(),
                fact.currency(),
                decision.reason(),
                fact.cause(),
                now,
                fact.occurredAt(),
                fact.gocardlessEventId());
    outbox.append(published.toOutboxEvent(mapper.writeValueAsString(published)));
    return Optional.of(decision);
  }

  /** What would be decided now for the team's failed payment, and what was recorded for it. */
  public Preview preview(String team, String paymentId) {
    Projected payment = teamProjections.owned(Kind.PAYMENT, paymentId, team);
    JsonNode failure = payment.view().path("failure");
    if (!"failed".equals(payment.status()) || !failure.isObject()) {
      throw new PaymentNotFailedException(paymentId, payment.status());
    }
    Instant failedAt = Instant.parse(failure.path("at").asString());
    Optional<RecordedDecision> recorded =
        decisions.list(team, payment.merchantId(), paymentId, 50).stream()
            .filter(d -> d.failedAt().equals(failedAt))
            .findFirst();
    JsonNode willRetry = failure.path("willAttemptRetry");
    var asFailure =
        new Failure(
            recorded.map(RecordedDecision::failureEventId).orElse(""),
            paymentId,
            payment.merchantId(),
            team,
            payment.organisationId(),
            text(payment.view(), "mandateId"),
            payment.view().path("amount").asLong(),
            text(payment.view(), "currency"),
            text(payment.view(), "scheme"),
            text(failure, "cause"),
            text(failure, "reasonCode"),
            willRetry.isBoolean() ? willRetry.asBoolean() : null,
            failedAt);
    return new Preview(
        paymentId, decide(asFailure), policyOf(payment.merchantId()), recorded.orElse(null));
  }

  /** A preview: what would be decided now, the policy it follows, what was recorded. */
  public record Preview(
      String paymentId, Decision decision, RetryPolicy policy, RecordedDecision recorded) {}

  /** The team's recorded decisions, newest first. */
  public List<RecordedDecision> list(String team, String merchantId, String paymentId, int limit) {
    return decisions.list(team, merchantId, paymentId, limit);
  }

  private Decision decide(Failure failure) {
    RetryPolicy policy = policyOf(failure.merchantId());
    Optional<Projected> mandate =
        failure.mandateId() == null
            ? Optional.empty()
            : projections.find(Kind.MANDATE, failure.mandateId());
    return rules.decide(
        failure,
        policy,
        decisions.earlierFailures(
            failure.paymentId(), failure.failureEventId(), failure.failedAt()),
        decisions.ourRetries(failure.paymentId(), failure.failureEventId()),
        mandate.map(Projected::status).orElse(null),
        mandate.map(m -> date(text(m.view(), "nextPossibleChargeDate"))).orElse(null),
        decisions.history(
            failure.merchantId(), failure.mandateId(), null, properties.historySize()));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() ? value.asString() : null;
  }

  private static LocalDate date(String value) {
    try {
      return value == null ? null : LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
