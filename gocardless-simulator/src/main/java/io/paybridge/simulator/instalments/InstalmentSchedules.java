package io.paybridge.simulator.instalments;

import io.paybridge.simulator.events.Event;
import io.paybridge.simulator.internal.ApiException;
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
 * The instalment schedule state machine (docs/gocardless/API.md §4.6): its payments are created at
 * once ({@code active}), or none when an instalment is invalid ({@code creation_failed} with {@code
 * payment_errors}); it is {@code completed} once every payment is collected, {@code errored} when
 * one fails, and {@code cancelled} (with its payments not yet submitted) through the API or when
 * its mandate stops. GoCardless creates the payments asynchronously after a {@code pending} status;
 * the simulator answers the create with the outcome.
 */
public final class InstalmentSchedules {
  private static final String SANDBOX = " [SANDBOX TRANSITION]";

  /** One instalment to collect. */
  public record Instalment(LocalDate chargeDate, long amount, String description) {}

  private final State state;
  private final Mandates mandates;
  private final Payments payments;
  final ResourceType<InstalmentSchedule> type;

  public InstalmentSchedules(State state, Mandates mandates, Payments payments) {
    this.state = state;
    this.mandates = mandates;
    this.payments = payments;
    this.type =
        new ResourceType<>(
            state,
            "instalment_schedules",
            "instalment_schedule",
            state.instalmentSchedules,
            s -> s.metadata);
    mandates.onMandateStopped(this::cancelSchedulesOf);
  }

  /** The payment fields every instalment shares. */
  public record Terms(Long appFee, String paymentReference, boolean retryIfPossible) {}

  /**
   * Creates a schedule whose request is valid: its payments, or {@code creation_failed} with the
   * errors of each instalment that can't be charged (a charge date before the mandate's next
   * possible one).
   */
  public InstalmentSchedule create(
      Mandate mandate,
      InstalmentSchedule s,
      List<Instalment> instalments,
      Terms terms,
      Map<String, String> eventMetadata) {
    s.id = state.ids.next("IS");
    s.createdAt = state.nowIso();
    s.organisationId = mandate.organisationId;
    s.links.mandate = mandate.id;
    s.links.customer = mandate.links.get("customer");
    state.instalmentSchedules.add(s);
    LocalDate earliest = mandates.nextPossibleChargeDate(mandate);
    for (int i = 0; i < instalments.size(); i++) {
      if (instalments.get(i).chargeDate().isBefore(earliest)) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("field", "charge_date");
        error.put("message", "must be on or after mandate's next_possible_customer_charge_date");
        s.paymentErrors.put(Integer.toString(i), List.of(error));
      }
    }
    if (!s.paymentErrors.isEmpty()) {
      s.status = "creation_failed";
      type.event(
              s,
              "creation_failed",
              "api",
              "instalment_schedule_creation_failed",
              "The instalment schedule could not be created: an instalment can't be charged.")
          .metadata(eventMetadata)
          .emit();
      return s;
    }
    s.status = "active";
    type.event(
            s,
            "created",
            "api",
            "instalment_schedule_created",
            "Instalment schedule created via the API.")
        .metadata(eventMetadata)
        .emit();
    for (Instalment instalment : instalments) {
      Payment p = new Payment();
      p.amount = instalment.amount();
      p.appFee = terms.appFee();
      p.currency = s.currency;
      p.chargeDate = Times.date(instalment.chargeDate());
      p.description = instalment.description() != null ? instalment.description() : s.name;
      p.reference = terms.paymentReference();
      p.retryIfPossible = terms.retryIfPossible();
      p.links.put("instalment_schedule", s.id);
      payments.createScheduled(
          mandate,
          p,
          "api",
          "instalment_schedule_created",
          "Payment created by an instalment schedule.");
      s.links.payments.add(p.id);
    }
    return s;
  }

  /** {@code completed} once every payment is collected, {@code errored} if one failed. */
  public boolean advance(InstalmentSchedule s) {
    if (!"active".equals(s.status)) {
      return false;
    }
    List<Payment> own = new ArrayList<>();
    for (String id : s.links.payments) {
      own.add(state.payments.get(id));
    }
    if (own.stream().anyMatch(p -> "failed".equals(p.status))) {
      s.status = "errored";
      type.event(
              s,
              "errored",
              "gocardless",
              "instalment_schedule_errored",
              "A payment of the instalment schedule failed." + SANDBOX)
          .emit();
      return true;
    }
    if (own.stream().allMatch(p -> "confirmed".equals(p.status) || "paid_out".equals(p.status))) {
      s.status = "completed";
      type.event(
              s,
              "completed",
              "gocardless",
              "instalment_schedule_completed",
              "Every payment of the instalment schedule has been collected." + SANDBOX)
          .emit();
      return true;
    }
    return false;
  }

  /** {@code actions/cancel}: its payments not yet submitted are cancelled too. */
  public InstalmentSchedule cancel(InstalmentSchedule s, Map<String, String> metadata) {
    if (!"active".equals(s.status) && !"pending".equals(s.status) && !"errored".equals(s.status)) {
      throw ApiException.invalidState(
          "cancellation_failed", "This instalment schedule is " + s.status);
    }
    s.status = "cancelled";
    Event event =
        type.event(
                s,
                "cancelled",
                "api",
                "instalment_schedule_cancelled",
                "Instalment schedule cancelled via the API.")
            .metadata(metadata)
            .emit();
    for (String id : s.links.payments) {
      payments.cancelPending(
          state.payments.get(id),
          "api",
          "instalment_schedule_cancelled",
          "The instalment schedule for this payment was cancelled, so the payment was cancelled.",
          event);
    }
    return s;
  }

  private void cancelSchedulesOf(Mandates.Stopped stopped) {
    String mandateId = stopped.mandate().id;
    for (InstalmentSchedule s :
        state.instalmentSchedules.list(x -> mandateId.equals(x.links.mandate))) {
      if ("active".equals(s.status) || "pending".equals(s.status)) {
        s.status = "cancelled";
        type.event(
                s,
                "cancelled",
                "gocardless",
                stopped.cause(),
                "The instalment schedule was cancelled because its mandate was cancelled.")
            .parent(stopped.event())
            .emit();
      }
    }
  }
}
