package io.paybridge.simulator.mandates;

import io.paybridge.platform.events.gocardless.BankCalendar;
import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.customers.CustomerBankAccount;
import io.paybridge.simulator.events.Event;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Times;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The mandate state machine (docs/gocardless/API.md §4.3): creation, cancellation, reinstatement
 * and the transitions time and scenario simulators drive. HTTP is in {@link MandatesApi}.
 */
public final class Mandates {
  private static final String SANDBOX = " [SANDBOX TRANSITION]";

  private final State state;
  final ResourceType<Mandate> type;

  /**
   * A mandate stopped taking payments (cancelled, failed, expired): {@code cause} is what the
   * resources on it are cancelled with, and {@code event} the mandate's event that caused it (their
   * events' {@code links.parent_event}).
   */
  public record Stopped(Mandate mandate, String cause, Event event) {}

  /** What stops with a mandate: its pending payments, subscriptions, instalment schedules. */
  private final List<Consumer<Stopped>> onMandateStopped = new ArrayList<>();

  public Mandates(State state) {
    this.state = state;
    this.type = new ResourceType<>(state, "mandates", "mandate", state.mandates, m -> m.metadata);
  }

  public void onMandateStopped(Consumer<Stopped> action) {
    onMandateStopped.add(action);
  }

  private void stopped(Mandate m, String cause, Event event) {
    Stopped stopped = new Stopped(m, cause, event);
    for (Consumer<Stopped> action : onMandateStopped) {
      action.accept(stopped);
    }
  }

  /** The mandate, if it can take new payments; else {@code mandate_is_inactive}. */
  public static Mandate requireActive(Mandate m) {
    if (m.isInactive()) {
      throw ApiException.invalidState(
          "mandate_is_inactive", "The mandate is " + m.status + ", so it can't take payments");
    }
    return m;
  }

  /** {@code POST /mandates/:id/actions/cancel}. */
  public Mandate cancelFromApi(Mandate m, Map<String, String> metadata) {
    if (m.isInactive()) {
      throw ApiException.invalidState(
          "cancellation_failed", "Mandate is already " + m.status + " and can't be cancelled");
    }
    cancel(m, "api", "mandate_cancelled", "The mandate was cancelled at your request.", metadata);
    return m;
  }

  /**
   * {@code POST /mandates/:id/actions/reinstate}: a cancelled or expired mandate is resubmitted.
   */
  public Mandate reinstate(Mandate m, Map<String, String> metadata) {
    if (!"cancelled".equals(m.status) && !"expired".equals(m.status)) {
      throw ApiException.invalidState(
          "mandate_not_inactive", "Mandate is " + m.status + " and can't be reinstated");
    }
    if (m.resubmissions >= 10) {
      throw ApiException.invalidState(
          "mandate_not_inactive", "Mandate has been resubmitted the maximum number of times");
    }
    m.resubmissions++;
    m.reinstating = true;
    m.status = "pending_submission";
    BankCalendar calendar = BankCalendar.of(m.scheme);
    m.submitOn = calendar.addWorkingDays(state.today(), 1);
    m.activateOn = calendar.addWorkingDays(m.submitOn, 2);
    type.event(
            m,
            "resubmission_requested",
            "api",
            "resubmission_requested",
            "An attempt to reinstate this mandate was requested.")
        .metadata(metadata)
        .emit();
    return m;
  }

  /** Creates a {@code pending_submission} mandate and emits {@code mandates/created}. */
  public Mandate create(
      String organisationId,
      CustomerBankAccount account,
      String scheme,
      String reference,
      Map<String, String> metadata,
      String verifiedAt) {
    Creditor creditor = state.creditorOf(organisationId);
    Mandate m = new Mandate();
    m.id = state.ids.next("MD");
    m.createdAt = state.nowIso();
    m.organisationId = organisationId;
    m.scheme = scheme;
    m.reference =
        reference != null
            ? reference
            : creditor.bankReferencePrefix + "-" + m.id.substring(m.id.length() - 6);
    m.verifiedAt = verifiedAt;
    if (metadata != null) {
      m.metadata = new java.util.LinkedHashMap<>(metadata);
    }
    m.links.put("creditor", creditor.id);
    m.links.put("customer", account.links.get("customer"));
    m.links.put("customer_bank_account", account.id);
    if (!Banks.submittedWithFirstPayment(scheme)) {
      BankCalendar calendar = BankCalendar.of(scheme);
      m.submitOn = calendar.addWorkingDays(state.today(), 1);
      m.activateOn = calendar.addWorkingDays(m.submitOn, 2);
    }
    state.mandates.add(m);
    type.event(m, "created", "api", "mandate_created", "Mandate created via the API.").emit();
    return m;
  }

  /** The earliest charge date a new payment on this mandate can have. */
  public LocalDate nextPossibleChargeDate(Mandate m) {
    BankCalendar calendar = BankCalendar.of(m.scheme);
    LocalDate earliest = calendar.addWorkingDays(state.today(), Banks.leadDays(m.scheme));
    if (!"active".equals(m.status) && m.activateOn != null && m.activateOn.isAfter(earliest)) {
      earliest = m.activateOn;
    }
    return calendar.rollForward(earliest);
  }

  public Mandate render(Mandate m) {
    if (m.isInactive()) {
      m.nextPossibleChargeDate = null;
    } else {
      m.nextPossibleChargeDate = Times.date(nextPossibleChargeDate(m));
    }
    m.nextPossibleStandardAchChargeDate = "ach".equals(m.scheme) ? m.nextPossibleChargeDate : null;
    return m;
  }

  public void submit(Mandate m) {
    m.status = "submitted";
    if (m.activateOn == null) {
      m.activateOn = BankCalendar.of(m.scheme).addWorkingDays(state.today(), 2);
    }
    type.event(m, "submitted")
        .origin("gocardless")
        .cause("mandate_submitted")
        .description("The mandate has been submitted to the banks." + SANDBOX)
        .emit();
  }

  public void activate(Mandate m) {
    boolean reinstated = m.reinstating;
    m.reinstating = false;
    m.status = "active";
    type.event(m, reinstated ? "reinstated" : "active")
        .origin("gocardless")
        .cause(reinstated ? "mandate_reinstated" : "mandate_activated")
        .description(
            (reinstated
                    ? "The mandate has been reinstated."
                    : "The time window after submission for the banks to refuse a mandate has ended"
                        + " without any errors being received, so this mandate is now active.")
                + SANDBOX)
        .emit();
  }

  public void fail(Mandate m) {
    m.status = "failed";
    Event event =
        type.event(m, "failed")
            .origin("bank")
            .cause("invalid_bank_details")
            .description(
                "The specified bank account does not exist or was closed. Please check the bank"
                    + " details."
                    + SANDBOX)
            .detail("scheme", m.scheme)
            .detail("reason_code", "bacs".equals(m.scheme) ? "AUDDIS-5" : "AC01")
            .emit();
    stopped(m, "mandate_cancelled", event);
  }

  public void expire(Mandate m) {
    m.status = "expired";
    Event event =
        type.event(m, "expired")
            .origin("gocardless")
            .cause("mandate_expired")
            .description(
                "The mandate expired as no payments were collected against it for a long period."
                    + SANDBOX)
            .emit();
    stopped(m, "mandate_expired", event);
  }

  public void cancel(
      Mandate m, String origin, String cause, String description, Map<String, String> metadata) {
    m.status = "cancelled";
    Event event = type.event(m, "cancelled", origin, cause, description).metadata(metadata).emit();
    stopped(m, cause, event);
  }
}
