package io.paybridge.billing.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.events.billing.BillingRequestFact;
import io.paybridge.platform.events.billing.MandateFact;
import io.paybridge.platform.events.billing.PaymentFact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * Applies billing facts to the analytics read model, inside the idempotent consumer's transaction
 * (each fact once). For every resource the facts touch, its state row is locked, the facts merged
 * into it (a merge that gives the same state whatever their order, and keeps a fact of a GoCardless
 * event once), and the roll-ups get the difference between what the resource contributes after and
 * before: a roll-up row is always the sum of what its resources' states contribute.
 */
@Component
class AnalyticsEventHandler {

  private final AnalyticsRepository repository;
  private final Counter applied;

  AnalyticsEventHandler(AnalyticsRepository repository, MeterRegistry meters) {
    this.repository = repository;
    this.applied =
        Counter.builder("paybridge.billing.analytics.facts.applied")
            .description("Billing facts applied to the analytics roll-ups")
            .register(meters);
  }

  void applyAll(List<BillingFact> facts) {
    var payments = new ArrayList<PaymentFact>();
    var requests = new ArrayList<BillingRequestFact>();
    var mandates = new ArrayList<MandateFact.MandateActive>();
    for (var fact : facts) {
      switch (fact) {
        case PaymentFact p -> payments.add(p);
        case BillingRequestFact b -> requests.add(b);
        case MandateFact.MandateActive a -> mandates.add(a);
        default -> {
          // Other facts (mandates failing or cancelled, refunds, ...) are not in the figures.
        }
      }
    }
    if (!payments.isEmpty()) {
      applyPayments(payments);
    }
    if (!requests.isEmpty() || !mandates.isEmpty()) {
      applyMandateSetup(requests, mandates);
    }
    applied.increment(facts.size());
  }

  private void applyPayments(List<PaymentFact> facts) {
    var placeholders = new LinkedHashMap<String, PaymentState>();
    for (var f : facts) {
      placeholders.putIfAbsent(
          f.paymentId(), PaymentState.unknown(f.paymentId(), f.merchantId(), f.team()));
    }
    Map<String, PaymentState> before = repository.lockPayments(placeholders.values());
    Map<String, PaymentState> after = new HashMap<>(before);
    for (var f : facts) {
      after.put(f.paymentId(), merge(after.get(f.paymentId()), f));
    }
    var rollups = new HashMap<PaymentOutcome.Key, long[]>();
    var failures = new HashMap<AnalyticsRepository.FailureKey, Long>();
    var changed = new ArrayList<PaymentState>();
    for (var entry : after.entrySet()) {
      PaymentState old = before.get(entry.getKey());
      if (old.equals(entry.getValue())) {
        continue;
      }
      changed.add(entry.getValue());
      add(PaymentOutcome.of(old), -1, rollups, failures);
      add(PaymentOutcome.of(entry.getValue()), 1, rollups, failures);
    }
    repository.savePayments(changed);
    rollups.values().removeIf(AnalyticsEventHandler::allZero);
    failures.values().removeIf(v -> v == 0);
    repository.addPaymentRollups(rollups);
    repository.addFailureRollups(failures);
  }

  private static PaymentState merge(PaymentState state, PaymentFact fact) {
    return switch (fact) {
      case PaymentFact.PaymentCreated c ->
          state.created(c.scheme(), c.currency(), c.amount(), c.occurredAt());
      case PaymentFact.PaymentConfirmed c ->
          state.with(seen(c, PaymentOutcome.CONFIRMED, null, null, null));
      case PaymentFact.PaymentPaidOut p ->
          state.with(seen(p, PaymentOutcome.PAID_OUT, null, null, null));
      case PaymentFact.PaymentFailed f ->
          state.with(
              seen(f, PaymentOutcome.FAILURE, f.cause(), f.reasonCode(), f.willAttemptRetry()));
      case PaymentFact.PaymentChargedBack b ->
          state.with(seen(b, PaymentOutcome.CHARGEBACK, b.cause(), b.reasonCode(), null));
      case PaymentFact.PaymentCancelled c ->
          state.with(seen(c, PaymentOutcome.CANCELLATION, c.cause(), null, null));
      default -> state; // facts of the payment the figures do not use
    };
  }

  private static PaymentState.Seen seen(
      PaymentFact fact, String type, String cause, String reasonCode, Boolean retry) {
    return new PaymentState.Seen(
        fact.gocardlessEventId(), type, fact.occurredAt().toString(), cause, reasonCode, retry);
  }

  private static void add(
      PaymentOutcome.Contribution contribution,
      int sign,
      Map<PaymentOutcome.Key, long[]> rollups,
      Map<AnalyticsRepository.FailureKey, Long> failures) {
    if (contribution == null) {
      return;
    }
    var key = contribution.key();
    long[] row = rollups.computeIfAbsent(key, k -> new long[PaymentOutcome.COUNTERS.size()]);
    for (int i = 0; i < row.length; i++) {
      row[i] += sign * contribution.counters()[i];
    }
    contribution
        .failures()
        .forEach(
            (causeAndReason, n) ->
                failures.merge(
                    new AnalyticsRepository.FailureKey(
                        key, causeAndReason.get(0), causeAndReason.get(1)),
                    sign * n,
                    Long::sum));
  }

  private void applyMandateSetup(
      List<BillingRequestFact> facts, List<MandateFact.MandateActive> activations) {
    var placeholders = new LinkedHashMap<String, BillingRequestState>();
    for (var f : facts) {
      placeholders.putIfAbsent(
          f.billingRequestId(),
          BillingRequestState.unknown(f.billingRequestId(), f.merchantId(), f.team()));
    }
    // Lock order: billing requests, then mandates (a mandate's activation takes only the latter).
    Map<String, BillingRequestState> locked =
        placeholders.isEmpty() ? Map.of() : repository.lockBillingRequests(placeholders.values());
    Set<String> mandateIds = new TreeSet<>();
    locked.values().stream()
        .map(BillingRequestState::mandateId)
        .filter(id -> id != null)
        .forEach(mandateIds::add);
    for (var f : facts) {
      if (f instanceof BillingRequestFact.BillingRequestFulfilled fulfilled
          && fulfilled.mandateId() != null) {
        mandateIds.add(fulfilled.mandateId());
      }
    }
    activations.forEach(a -> mandateIds.add(a.mandateId()));
    Map<String, Instant> activeBefore = repository.lockMandates(mandateIds);
    Map<String, BillingRequestState> before = new HashMap<>(locked);
    var activated = activations.stream().map(MandateFact.MandateActive::mandateId).toList();
    repository.billingRequestsOfMandates(activated).forEach(before::putIfAbsent);

    Map<String, BillingRequestState> after = new HashMap<>(before);
    for (var f : facts) {
      var state = after.get(f.billingRequestId());
      after.put(
          f.billingRequestId(),
          switch (f) {
            case BillingRequestFact.BillingRequestCreated c ->
                state.created(c.mandateRequested(), c.scheme(), c.occurredAt());
            case BillingRequestFact.BillingRequestFulfilled d ->
                state.fulfilled(d.mandateId(), d.occurredAt());
            default -> state;
          });
    }
    Map<String, Instant> activeAfter = new HashMap<>(activeBefore);
    var changedMandates = new HashMap<String, Instant>();
    for (var a : activations) {
      Instant current = activeAfter.get(a.mandateId());
      if (current == null || a.occurredAt().isBefore(current)) {
        activeAfter.put(a.mandateId(), a.occurredAt());
        changedMandates.put(a.mandateId(), a.occurredAt());
      }
    }
    var deltas = new HashMap<BillingRequestState.Key, long[]>();
    var changedRequests = new ArrayList<BillingRequestState>();
    for (var entry : after.entrySet()) {
      var old = before.get(entry.getKey());
      var now = entry.getValue();
      if (!old.equals(now)) {
        changedRequests.add(now);
      }
      add(old.contribution(activeAt(old, activeBefore)), -1, deltas);
      add(now.contribution(activeAt(now, activeAfter)), 1, deltas);
    }
    repository.saveBillingRequests(changedRequests);
    repository.saveMandates(changedMandates);
    deltas.values().removeIf(AnalyticsEventHandler::allZero);
    repository.addMandateSetupRollups(deltas);
  }

  private static Instant activeAt(BillingRequestState state, Map<String, Instant> active) {
    return state.mandateId() == null ? null : active.get(state.mandateId());
  }

  private static void add(
      BillingRequestState.Contribution contribution,
      int sign,
      Map<BillingRequestState.Key, long[]> deltas) {
    if (contribution == null) {
      return;
    }
    long[] row = deltas.computeIfAbsent(contribution.key(), k -> new long[3]);
    for (int i = 0; i < row.length; i++) {
      row[i] += sign * contribution.counts()[i];
    }
  }

  private static boolean allZero(long[] values) {
    for (long v : values) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }
}
