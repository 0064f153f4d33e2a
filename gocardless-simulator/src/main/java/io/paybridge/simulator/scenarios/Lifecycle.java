package io.paybridge.simulator.scenarios;

import io.paybridge.platform.events.gocardless.BankCalendar;
import io.paybridge.simulator.billing.BillingRequestFlow;
import io.paybridge.simulator.creditors.Creditors;
import io.paybridge.simulator.instalments.InstalmentSchedule;
import io.paybridge.simulator.instalments.InstalmentSchedules;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.Mandates;
import io.paybridge.simulator.payments.Payment;
import io.paybridge.simulator.payments.Payments;
import io.paybridge.simulator.payments.Payout;
import io.paybridge.simulator.refunds.Refund;
import io.paybridge.simulator.refunds.Refunds;
import io.paybridge.simulator.subscriptions.Subscription;
import io.paybridge.simulator.subscriptions.Subscriptions;
import java.time.LocalDate;

/**
 * Time-driven transitions, applied on every tick of the simulated clock (docs/gocardless/API.md
 * §4.3–4.4, timings simplified):
 *
 * <ul>
 *   <li>mandate {@code pending_submission → submitted} the next working day, {@code → active} two
 *       working days later; ACH, BECS, BECS NZ and SEPA mandates are submitted with their first
 *       payment instead (and active two working days later, on its charge date);
 *   <li>Direct Debit payment {@code pending_submission → submitted} two working days before its
 *       charge date, {@code → confirmed} on the charge date, {@code → paid_out} two working days
 *       after it; instant payments are submitted and confirmed on their charge date and paid out
 *       the next working day;
 *   <li>subscriptions create their payments ahead of each charge date ({@link Subscriptions});
 *   <li>refunds {@code pending_submission → submitted → paid} a working day apart;
 *   <li>instalment schedules complete once their payments are collected ({@link
 *       InstalmentSchedules});
 *   <li>payouts {@code pending → paid} on their arrival date; flows expire after 7 days;
 *   <li>a creditor whose details were submitted on the verification page {@code in_review →
 *       successful} once the review delay has passed.
 * </ul>
 *
 * Name-triggered sandbox scenarios (customer {@code given_name}): {@code Penniless} payments fail,
 * {@code Late} payments fail after confirmation, {@code Fickle} payments are charged back after
 * being paid out. {@code Payday} (the simulator's own payer model, not a GoCardless scenario): a
 * payer paid on the last working day of each month, whose collections fail for insufficient funds
 * unless charged from that payday to {@value #PAYDAY_WINDOW_DAYS} days after it ({@link
 * #afterPayday}).
 */
public final class Lifecycle {
  private final State state;
  private final Mandates mandates;
  private final Payments payments;
  private final Subscriptions subscriptions;
  private final Refunds refunds;
  private final InstalmentSchedules instalments;
  private final Creditors creditors;

  public Lifecycle(
      State state,
      Mandates mandates,
      Payments payments,
      Subscriptions subscriptions,
      Refunds refunds,
      InstalmentSchedules instalments,
      Creditors creditors) {
    this.state = state;
    this.mandates = mandates;
    this.payments = payments;
    this.subscriptions = subscriptions;
    this.refunds = refunds;
    this.instalments = instalments;
    this.creditors = creditors;
    this.lastTicked = state.today();
  }

  private LocalDate lastTicked;

  /**
   * Applies every due transition; call with the lock held. When the clock jumped several days, the
   * days in between are replayed in order, so that a payment is paid out on its own schedule, not
   * on the day of the jump.
   */
  public void tick() {
    LocalDate today = state.today();
    LocalDate day = lastTicked == null || lastTicked.isAfter(today) ? today : lastTicked;
    try {
      while (!day.isAfter(today)) {
        state.replayDate(day);
        boolean changed = true;
        int guard = 0;
        while (changed && guard++ < 50) {
          changed = step(day);
        }
        day = day.plusDays(1);
      }
    } finally {
      state.replayDate(null);
    }
    lastTicked = today;
    creditors.completeReviews(state.now());
    for (BillingRequestFlow flow : state.flows.all()) {
      if (!flow.expired && flow.expiry != null && state.now().isAfter(flow.expiry)) {
        flow.expired = true;
      }
    }
  }

  private boolean step(LocalDate today) {
    boolean changed = false;
    for (Mandate m : state.mandates.all()) {
      if ("pending_submission".equals(m.status)
          && m.submitOn != null
          && !today.isBefore(m.submitOn)) {
        mandates.submit(m);
        changed = true;
      } else if ("submitted".equals(m.status) && !today.isBefore(m.activateOn)) {
        mandates.activate(m);
        changed = true;
      }
    }
    for (Subscription s : state.subscriptions.all()) {
      changed |= subscriptions.advance(s, today);
    }
    for (Payment p : state.payments.all()) {
      changed |= advance(p, today);
    }
    for (Refund r : state.refunds.all()) {
      changed |= refunds.advance(r, today);
    }
    for (InstalmentSchedule s : state.instalmentSchedules.all()) {
      changed |= instalments.advance(s);
    }
    for (Payout payout : state.payouts.all()) {
      if ("pending".equals(payout.status) && !today.isBefore(payout.payoutDate)) {
        payments.payoutPaid(payout);
        changed = true;
      }
    }
    return changed;
  }

  /** How many days after payday a {@code Payday} payer still has the money. */
  static final int PAYDAY_WINDOW_DAYS = 4;

  /**
   * Whether a {@code Payday} payer can pay on {@code chargeDate}: paid on the last working day of
   * each month (the scheme's calendar), the money lasts from that day until {@value
   * #PAYDAY_WINDOW_DAYS} days after it.
   */
  public static boolean afterPayday(String scheme, LocalDate chargeDate) {
    BankCalendar calendar = BankCalendar.of(scheme);
    LocalDate payday = lastWorkingDay(calendar, chargeDate);
    if (chargeDate.isBefore(payday)) {
      payday = lastWorkingDay(calendar, chargeDate.minusMonths(1));
    }
    return !chargeDate.isAfter(payday.plusDays(PAYDAY_WINDOW_DAYS));
  }

  private static LocalDate lastWorkingDay(BankCalendar calendar, LocalDate inMonth) {
    LocalDate day = inMonth.withDayOfMonth(inMonth.lengthOfMonth());
    while (!calendar.isWorkingDay(day)) {
      day = day.minusDays(1);
    }
    return day;
  }

  private boolean advance(Payment p, LocalDate today) {
    Mandate m = p.instant ? null : state.mandates.get(p.links.get("mandate"));
    switch (p.status) {
      case "pending_submission" -> {
        if (today.isBefore(payments.submitOn(p))) {
          return false;
        }
        if (m != null && "pending_submission".equals(m.status)) {
          mandates.submit(m);
        }
        if (m != null && m.isInactive()) {
          return false;
        }
        payments.submit(p);
        return true;
      }
      case "submitted" -> {
        if (today.isBefore(p.chargeDate()) || (m != null && !"active".equals(m.status))) {
          return false;
        }
        if ("Penniless".equalsIgnoreCase(p.fate)
            || ("Payday".equalsIgnoreCase(p.fate) && !afterPayday(p.scheme, p.chargeDate()))) {
          payments.fail(p, Payments.Failure.insufficientFunds(p.scheme));
        } else {
          payments.confirm(p);
        }
        return true;
      }
      case "confirmed" -> {
        if (today.isBefore(payments.paidOutOn(p))) {
          return false;
        }
        if ("Late".equalsIgnoreCase(p.fate)) {
          payments.fail(p, Payments.Failure.insufficientFunds(p.scheme));
          p.fate = null;
        } else {
          payments.payOut(p);
        }
        return true;
      }
      case "paid_out" -> {
        if ("Fickle".equalsIgnoreCase(p.fate)
            && !today.isBefore(
                BankCalendar.of(p.scheme).addWorkingDays(payments.paidOutOn(p), 1))) {
          payments.chargeBack(p);
          p.fate = null;
          return true;
        }
        return false;
      }
      default -> {
        return false;
      }
    }
  }
}
