package io.paybridge.simulator.subscriptions;

import io.paybridge.platform.events.gocardless.BankCalendar;
import io.paybridge.simulator.events.Event;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Times;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.Mandates;
import io.paybridge.simulator.payments.Payment;
import io.paybridge.simulator.payments.Payments;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscription state machine (docs/gocardless/API.md §4.5): a schedule of charge dates on a
 * mandate, payments created on it as the simulated clock moves, pause (indefinitely or for a number
 * of cycles), resume, amendments, cancellation, finishing, and cancellation when its mandate stops.
 *
 * <p>Simplifications (README): cycle {@code k} is the first date plus {@code k} intervals ({@code
 * day_of_month} kept, {@code -1} = last day), rolled forward to a working day of the scheme; its
 * payment is created {@code lead days + 2} working days before that charge date (at once if that is
 * already past), never earlier than the mandate's next possible charge date; a {@code count} counts
 * created payments, so cycles skipped while paused do not use it up; the subscription finishes when
 * its last payment is created.
 */
public final class Subscriptions {
  private static final String SANDBOX = " [SANDBOX TRANSITION]";

  /** GoCardless allows 10 amount changes per subscription. */
  static final int MAX_AMENDMENTS = 10;

  private final State state;
  private final Mandates mandates;
  private final Payments payments;
  final ResourceType<Subscription> type;

  public Subscriptions(State state, Mandates mandates, Payments payments) {
    this.state = state;
    this.mandates = mandates;
    this.payments = payments;
    this.type =
        new ResourceType<>(
            state, "subscriptions", "subscription", state.subscriptions, s -> s.metadata);
    mandates.onMandateStopped(this::cancelSubscriptionsOf);
  }

  /**
   * Starts a validated subscription on {@code mandate} ({@code first}, interval and amounts set),
   * emits {@code created} and creates any payment already due.
   */
  public Subscription create(
      Mandate mandate, Subscription s, String origin, Map<String, String> eventMetadata) {
    s.id = state.ids.next("SB");
    s.createdAt = state.nowIso();
    s.organisationId = mandate.organisationId;
    s.startDate = Times.date(s.first);
    s.links.put("mandate", mandate.id);
    state.subscriptions.add(s);
    type.event(s, "created", origin, "subscription_created", "Subscription created via the API.")
        .metadata(eventMetadata)
        .emit();
    advance(s, state.today());
    return s;
  }

  /** The nominal date of cycle {@code cycle}: the first date plus that many intervals. */
  static LocalDate nominal(Subscription s, int cycle) {
    int steps = s.interval * cycle;
    return switch (s.intervalUnit) {
      case "weekly" -> s.first.plusWeeks(steps);
      case "yearly" -> onDay(s.first.plusYears(steps), s.dayOfMonth);
      default -> onDay(s.first.plusMonths(steps), s.dayOfMonth);
    };
  }

  /** {@code date} moved to {@code dayOfMonth} of its month ({@code -1} = the last day). */
  static LocalDate onDay(LocalDate date, Integer dayOfMonth) {
    if (dayOfMonth == null) {
      return date;
    }
    int last = date.lengthOfMonth();
    return date.withDayOfMonth(dayOfMonth == -1 ? last : Math.min(dayOfMonth, last));
  }

  /** The charge date of a cycle: its nominal date rolled forward to a working day. */
  LocalDate chargeDate(Subscription s, int cycle) {
    return BankCalendar.of(schemeOf(s)).rollForward(nominal(s, cycle));
  }

  private String schemeOf(Subscription s) {
    return state.mandates.get(s.links.get("mandate")).scheme;
  }

  private LocalDate creationDate(Subscription s, int cycle) {
    Mandate m = state.mandates.get(s.links.get("mandate"));
    return BankCalendar.of(m.scheme)
        .subtractWorkingDays(chargeDate(s, cycle), Banks.leadDays(m.scheme) + 2);
  }

  /** True once cycle {@code cycle} lies past the end ({@code count} or {@code end_date}). */
  private boolean endsBefore(Subscription s, int cycle, int created) {
    if (s.count != null && created >= s.count) {
      return true;
    }
    return s.endDate != null && nominal(s, cycle).isAfter(LocalDate.parse(s.endDate));
  }

  /**
   * Applies what is due on {@code today}: creates due payments (or skips due cycles while paused),
   * resumes a subscription paused for a number of cycles, finishes one that has created its last
   * payment. Call with the lock held.
   */
  public boolean advance(Subscription s, LocalDate today) {
    boolean changed = false;
    while (true) {
      if ("active".equals(s.status)) {
        if (endsBefore(s, s.nextCycle, s.paymentsCreated)) {
          finish(s);
          return true;
        }
        if (today.isBefore(creationDate(s, s.nextCycle))) {
          return changed;
        }
        createPayment(s, s.nextCycle);
        s.nextCycle++;
        s.paymentsCreated++;
        changed = true;
      } else if ("paused".equals(s.status)) {
        if (s.resumeAtCycle != null && s.nextCycle >= s.resumeAtCycle) {
          resume(s, "gocardless", null);
          changed = true;
          continue;
        }
        if (today.isBefore(creationDate(s, s.nextCycle))) {
          return changed;
        }
        s.nextCycle++;
        changed = true;
      } else {
        return changed;
      }
    }
  }

  private void createPayment(Subscription s, int cycle) {
    Mandate m = state.mandates.get(s.links.get("mandate"));
    LocalDate chargeDate = chargeDate(s, cycle);
    LocalDate earliest = mandates.nextPossibleChargeDate(m);
    Payment p = new Payment();
    p.amount = s.amount;
    p.appFee = s.appFee;
    p.currency = s.currency;
    p.chargeDate = Times.date(chargeDate.isBefore(earliest) ? earliest : chargeDate);
    p.description = s.name;
    p.reference = s.paymentReference;
    p.retryIfPossible = s.retryIfPossible;
    p.links.put("subscription", s.id);
    payments.createScheduled(
        m, p, "gocardless", "payment_created", "Payment created by a subscription." + SANDBOX);
    type.event(
            s,
            "payment_created",
            "gocardless",
            "payment_created",
            "Payment created by a subscription." + SANDBOX)
        .link("payment", p.id)
        .emit();
  }

  private void finish(Subscription s) {
    s.status = "finished";
    type.event(
            s,
            "finished",
            "gocardless",
            "subscription_finished",
            "The subscription has finished." + SANDBOX)
        .emit();
  }

  /**
   * {@code upcoming_payments}: its payments not yet charged (created ones with a charge date from
   * today on, then the cycles still to come), at most 10; none once cancelled or finished, and
   * while paused only from the cycle it resumes at.
   */
  public Subscription render(Subscription s) {
    List<Map<String, Object>> upcoming = new ArrayList<>();
    boolean live = "active".equals(s.status) || "paused".equals(s.status);
    if (live) {
      LocalDate today = state.today();
      for (Payment p : state.payments.list(x -> s.id.equals(x.links.get("subscription")))) {
        if (!p.chargeDate().isBefore(today)
            && !"cancelled".equals(p.status)
            && !"failed".equals(p.status)) {
          upcoming.add(upcoming(p.chargeDate(), p.amount));
        }
      }
      upcoming = new ArrayList<>(upcoming.reversed());
    }
    Integer from =
        "active".equals(s.status)
            ? Integer.valueOf(s.nextCycle)
            : "paused".equals(s.status) ? s.resumeAtCycle : null;
    if (from != null) {
      int created = s.paymentsCreated;
      for (int cycle = from; upcoming.size() < 10 && !endsBefore(s, cycle, created); cycle++) {
        upcoming.add(upcoming(chargeDate(s, cycle), s.amount));
        created++;
      }
    }
    s.upcomingPayments = upcoming.size() > 10 ? upcoming.subList(0, 10) : upcoming;
    s.earliestChargeDateAfterResume =
        "paused".equals(s.status) && s.resumeAtCycle != null
            ? Times.date(chargeDate(s, s.resumeAtCycle))
            : null;
    return s;
  }

  private static Map<String, Object> upcoming(LocalDate chargeDate, long amount) {
    Map<String, Object> payment = new LinkedHashMap<>();
    payment.put("charge_date", Times.date(chargeDate));
    payment.put("amount", amount);
    return payment;
  }

  /** {@code PUT}: a new amount is an amendment (at most 10) and emits {@code amended}. */
  public void amend(Subscription s, Long amount, Map<String, String> eventMetadata) {
    if ("cancelled".equals(s.status) || "finished".equals(s.status)) {
      throw ApiException.invalidState(
          "subscription_not_active", "This subscription is " + s.status + " and can't be changed");
    }
    if (amount == null || amount == s.amount) {
      return;
    }
    if (s.amendments >= MAX_AMENDMENTS) {
      throw ApiException.invalidState(
          "number_of_subscription_amendments_exceeded",
          "The amount of a subscription can be changed at most " + MAX_AMENDMENTS + " times");
    }
    s.amendments++;
    s.amount = amount;
    type.event(s, "amended", "api", "subscription_amended", "Subscription amended via the API.")
        .metadata(eventMetadata)
        .emit();
  }

  /**
   * {@code actions/pause}: indefinitely, or for {@code pauseCycles} cycles after which it resumes
   * by itself. Cycles due while paused are skipped (no payment).
   */
  public Subscription pause(Subscription s, Integer pauseCycles, Map<String, String> metadata) {
    if ("finished".equals(s.status)) {
      throw ApiException.invalidState(
          "subscription_already_ended", "This subscription has taken all its payments");
    }
    if ("cancelled".equals(s.status)) {
      throw ApiException.invalidState(
          "subscription_not_active", "This subscription is cancelled and can't be paused");
    }
    if ("paused".equals(s.status) && s.resumeAtCycle != null && pauseCycles != null) {
      throw ApiException.invalidState(
          "subscription_paused_cannot_update_cycles",
          "This subscription is already paused for a number of cycles");
    }
    if ("paused".equals(s.status) && pauseCycles == null) {
      throw ApiException.invalidState(
          "subscription_cannot_be_paused", "This subscription is already paused");
    }
    if (pauseCycles != null && pauseCycles < 1) {
      throw ApiException.invalidState(
          "pause_cycles_must_be_greater_than_or_equal_to", "pause_cycles must be 1 or more");
    }
    s.status = "paused";
    s.resumeAtCycle = pauseCycles == null ? null : s.nextCycle + pauseCycles;
    type.event(s, "paused", "api", "subscription_paused", "Subscription paused via the API.")
        .metadata(metadata)
        .emit();
    return s;
  }

  /** {@code actions/resume} (origin {@code api}), or the end of a pause of some cycles. */
  public Subscription resume(Subscription s, String origin, Map<String, String> metadata) {
    if (!"paused".equals(s.status)) {
      throw ApiException.invalidState(
          "subscription_not_paused", "This subscription is " + s.status + ", not paused");
    }
    s.status = "active";
    s.resumeAtCycle = null;
    type.event(
            s,
            "resumed",
            origin,
            "subscription_resumed",
            "api".equals(origin)
                ? "Subscription resumed via the API."
                : "The subscription resumed at the end of its pause." + SANDBOX)
        .metadata(metadata)
        .emit();
    return s;
  }

  /** {@code actions/cancel}: no more payments; its payments not yet submitted are cancelled. */
  public Subscription cancel(Subscription s, Map<String, String> metadata) {
    if ("cancelled".equals(s.status) || "finished".equals(s.status)) {
      throw ApiException.invalidState(
          "cancellation_failed", "This subscription is already " + s.status);
    }
    s.status = "cancelled";
    s.resumeAtCycle = null;
    Event event =
        type.event(
                s,
                "cancelled",
                "api",
                "subscription_cancelled",
                "Subscription cancelled via the API.")
            .metadata(metadata)
            .emit();
    for (Payment p : state.payments.list(x -> s.id.equals(x.links.get("subscription")))) {
      payments.cancelPending(
          p,
          "api",
          "payment_cancelled",
          "The subscription for this payment was cancelled, so the payment was cancelled.",
          event);
    }
    return s;
  }

  /** A stopped mandate ends its subscriptions (their events name the mandate's as parent). */
  private void cancelSubscriptionsOf(Mandates.Stopped stopped) {
    String mandateId = stopped.mandate().id;
    for (Subscription s : state.subscriptions.list(x -> mandateId.equals(x.links.get("mandate")))) {
      if ("active".equals(s.status) || "paused".equals(s.status)) {
        s.status = "cancelled";
        s.resumeAtCycle = null;
        type.event(
                s,
                "cancelled",
                "gocardless",
                stopped.cause(),
                "The subscription was cancelled because its mandate was cancelled.")
            .parent(stopped.event())
            .emit();
      }
    }
  }
}
