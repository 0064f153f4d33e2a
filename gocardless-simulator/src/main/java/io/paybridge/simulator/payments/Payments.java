package io.paybridge.simulator.payments;

import io.paybridge.platform.events.gocardless.BankCalendar;
import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.customers.Customer;
import io.paybridge.simulator.events.Event;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Times;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.Mandates;
import java.time.LocalDate;
import java.util.Map;

/**
 * The payment and payout state machines (docs/gocardless/API.md §4.4): creation, cancellation,
 * retries, and the transitions that time and scenario simulators drive. HTTP is in {@link
 * PaymentsApi}.
 */
public final class Payments {
  private static final String SANDBOX = " [SANDBOX TRANSITION]";

  /** Maximum retries of one payment (docs/gocardless/API.md §4.4). */
  public static final int MAX_RETRIES = 3;

  /** A bank failure: simplified {@code cause}, scheme reason code and description. */
  public record Failure(String cause, String reasonCode, String description) {
    public static Failure insufficientFunds(String scheme) {
      return new Failure(
          "insufficient_funds",
          "bacs".equals(scheme) ? "ARUDD-0" : "AM04",
          "The customer's account had insufficient funds to make this payment.");
    }
  }

  private final State state;
  private final Mandates mandates;
  final ResourceType<Payment> payments;
  final ResourceType<Payout> payouts;

  public Payments(State state, Mandates mandates) {
    this.state = state;
    this.mandates = mandates;
    this.payments =
        new ResourceType<>(state, "payments", "payment", state.payments, p -> p.metadata);
    this.payouts = new ResourceType<>(state, "payouts", "payout", state.payouts, p -> p.metadata);
    mandates.onMandateStopped(this::cancelPaymentsOf);
  }

  /** A Direct Debit payment on a mandate, created through the API. */
  public Payment create(Mandate mandate, Payment p, Map<String, String> eventMetadata) {
    Customer customer = state.customers.get(mandate.links.get("customer"));
    p.fate = customer == null ? null : customer.givenName;
    return create(
        mandate, p, "api", "payment_created", "Payment created via the API.", eventMetadata);
  }

  /**
   * A payment GoCardless creates on a mandate for a subscription or an instalment schedule (its
   * {@code links} already name it). Name-triggered sandbox outcomes apply only to payments created
   * one by one (docs/gocardless/API.md §6), so it has no fate.
   */
  public Payment createScheduled(
      Mandate mandate, Payment p, String origin, String cause, String description) {
    return create(mandate, p, origin, cause, description, null);
  }

  private Payment create(
      Mandate mandate,
      Payment p,
      String origin,
      String cause,
      String description,
      Map<String, String> eventMetadata) {
    p.id = state.ids.next("PM");
    p.createdAt = state.nowIso();
    p.organisationId = mandate.organisationId;
    p.scheme = mandate.scheme;
    p.links.put("creditor", mandate.links.get("creditor"));
    p.links.put("mandate", mandate.id);
    state.payments.add(p);
    emit(p, "created", origin, cause, description, eventMetadata);
    return p;
  }

  /** Cancels a payment not yet submitted because what created it stopped; false if too late. */
  public boolean cancelPending(
      Payment p, String origin, String cause, String description, Event parent) {
    if (!"pending_submission".equals(p.status) && !"pending_customer_approval".equals(p.status)) {
      return false;
    }
    p.status = "cancelled";
    payments.event(p, "cancelled", origin, cause, description).parent(parent).emit();
    return true;
  }

  /** An instant bank payment created by fulfilling a billing request's payment request. */
  public Payment createInstant(
      String organisationId,
      long amount,
      Long appFee,
      String currency,
      String scheme,
      String description,
      String reference,
      Map<String, String> metadata,
      String customerGivenName) {
    Creditor creditor = state.creditorOf(organisationId);
    Payment p = new Payment();
    p.id = state.ids.next("PM");
    p.createdAt = state.nowIso();
    p.organisationId = organisationId;
    p.amount = amount;
    p.appFee = appFee;
    p.currency = currency;
    p.scheme = scheme;
    p.description = description;
    p.reference = reference;
    p.chargeDate = Times.date(BankCalendar.of(scheme).rollForward(state.today()));
    p.instant = true;
    p.fate = customerGivenName;
    if (metadata != null) {
      p.metadata = new java.util.LinkedHashMap<>(metadata);
    }
    p.links.put("creditor", creditor.id);
    state.payments.add(p);
    emit(p, "created", "api", "payment_created", "Payment created via the API.", null);
    return p;
  }

  /** A Direct Debit payment on a mandate, created by a billing request (e.g. after fallback). */
  public Payment createOnMandate(
      Mandate mandate, long amount, Long appFee, String description, Map<String, String> metadata) {
    Payment p = new Payment();
    p.id = state.ids.next("PM");
    p.createdAt = state.nowIso();
    p.organisationId = mandate.organisationId;
    p.amount = amount;
    p.appFee = appFee;
    p.currency = Banks.currencyOfScheme(mandate.scheme);
    p.scheme = mandate.scheme;
    p.description = description;
    p.chargeDate = Times.date(mandates.nextPossibleChargeDate(mandate));
    if (metadata != null) {
      p.metadata = new java.util.LinkedHashMap<>(metadata);
    }
    p.links.put("creditor", mandate.links.get("creditor"));
    p.links.put("mandate", mandate.id);
    Customer customer = state.customers.get(mandate.links.get("customer"));
    p.fate = customer == null ? null : customer.givenName;
    state.payments.add(p);
    emit(p, "created", "api", "payment_created", "Payment created via the API.", null);
    return p;
  }

  /** {@code POST /payments/:id/actions/cancel}: only before submission. */
  public Payment cancel(Payment p, Map<String, String> metadata) {
    if (!"pending_submission".equals(p.status) && !"pending_customer_approval".equals(p.status)) {
      throw ApiException.invalidState(
          "cancellation_failed", "This payment is " + p.status + " and can no longer be cancelled");
    }
    p.status = "cancelled";
    emit(p, "cancelled", "api", "payment_cancelled", "Payment cancelled via the API.", metadata);
    return p;
  }

  /** The mandate of a failed payment that the API may retry; throws {@code retry_failed}. */
  public Mandate retryableMandate(Payment p) {
    if (!"failed".equals(p.status)) {
      throw ApiException.invalidState(
          "retry_failed", "This payment is " + p.status + "; only failed payments can be retried");
    }
    if (p.instant) {
      throw ApiException.invalidState("retry_failed", "Instant payments can't be retried");
    }
    Mandate m = state.mandates.get(p.links.get("mandate"));
    if (m == null || m.isInactive()) {
      throw ApiException.invalidState(
          "retry_failed", "The payment's mandate is not active, so the payment can't be retried");
    }
    if (p.retries >= MAX_RETRIES) {
      throw ApiException.invalidState(
          "retry_failed", "This payment has already been retried " + MAX_RETRIES + " times");
    }
    return m;
  }

  /** {@code POST /payments/:id/actions/retry}, after {@link #retryableMandate}. */
  public Payment retry(Payment p, LocalDate chargeDate, Map<String, String> metadata) {
    resubmit(
        p,
        chargeDate,
        "api",
        "payment_retried",
        "Payment retry requested via the API.",
        metadata,
        null);
    return p;
  }

  private void resubmit(
      Payment p,
      LocalDate chargeDate,
      String origin,
      String cause,
      String description,
      Map<String, String> metadata,
      Event parent) {
    p.retries++;
    p.status = "pending_submission";
    p.chargeDate = Times.date(chargeDate);
    p.links.remove("payout");
    payments
        .event(p, "resubmission_requested", origin, cause, description)
        .metadata(metadata)
        .parent(parent)
        .emit();
  }

  /**
   * Cancels the payments a stopped mandate can no longer collect; each cancellation names the
   * mandate's event as its {@code parent_event}.
   */
  private void cancelPaymentsOf(Mandates.Stopped stopped) {
    Mandate m = stopped.mandate();
    for (Payment p : state.payments.list(x -> m.id.equals(x.links.get("mandate")))) {
      cancelPending(
          p,
          "gocardless",
          stopped.cause(),
          "The mandate for this payment was cancelled, so the payment was cancelled.",
          stopped.event());
    }
  }

  // ---- transitions driven by time and scenario simulators ----

  /** Date on which a pending payment is submitted to the banks. */
  public LocalDate submitOn(Payment p) {
    if (p.instant) {
      return p.chargeDate();
    }
    return BankCalendar.of(p.scheme)
        .subtractWorkingDays(p.chargeDate(), Math.min(2, Banks.leadDays(p.scheme)));
  }

  public LocalDate paidOutOn(Payment p) {
    return BankCalendar.of(p.scheme).addWorkingDays(p.chargeDate(), p.instant ? 1 : 2);
  }

  public void submit(Payment p) {
    p.status = "submitted";
    emit(
        p,
        "submitted",
        "gocardless",
        "payment_submitted",
        "Payment submitted to the banks. As a result, it can no longer be cancelled." + SANDBOX,
        null);
  }

  public void confirm(Payment p) {
    p.status = "confirmed";
    emit(
        p,
        "confirmed",
        "gocardless",
        "payment_confirmed",
        "Enough time has passed since the payment was submitted for the banks to return an error,"
            + " so this payment is now confirmed."
            + SANDBOX,
        null);
  }

  /**
   * GoCardless's fee on a collected payment, simplified: 20 for an instant payment; 1 % + 20 capped
   * at 400 for Direct Debit (minor units).
   */
  public static long fee(Payment p) {
    return p.instant ? 20 : Math.min(20 + p.amount / 100, 400);
  }

  /** Pays the payment out: adds it to the creditor's pending payout for the next working day. */
  public void payOut(Payment p) {
    Payout payout = payoutFor(p);
    long deducted = fee(p) + (p.appFee == null ? 0 : p.appFee);
    payout.amount += p.amount - deducted;
    payout.deductedFees += deducted;
    p.status = "paid_out";
    p.links.put("payout", payout.id);
    payments
        .event(p, "paid_out")
        .link("payout", payout.id)
        .origin("gocardless")
        .cause("payment_paid_out")
        .description("The payment has been paid out by GoCardless." + SANDBOX)
        .emit();
  }

  private Payout payoutFor(Payment p) {
    LocalDate arrival =
        BankCalendar.of(Banks.schemeFor(p.currency)).addWorkingDays(state.today(), 1);
    for (Payout existing : state.payouts.list(x -> x.organisationId.equals(p.organisationId))) {
      if ("pending".equals(existing.status)
          && existing.currency.equals(p.currency)
          && existing.payoutDate.equals(arrival)) {
        return existing;
      }
    }
    Creditor creditor = state.creditorOf(p.organisationId);
    Payout payout = new Payout();
    payout.id = state.ids.next("PO");
    payout.createdAt = state.nowIso();
    payout.organisationId = p.organisationId;
    payout.currency = p.currency;
    payout.payoutDate = arrival;
    payout.arrivalDate = Times.date(arrival);
    payout.reference = creditor.bankReferencePrefix + "-" + payout.id.substring(4);
    payout.fx.put("fx_currency", null);
    payout.fx.put("fx_amount", null);
    payout.fx.put("exchange_rate", null);
    payout.fx.put("estimated_exchange_rate", null);
    payout.links.put("creditor", creditor.id);
    String account = creditor.links.get("default_" + p.currency.toLowerCase() + "_payout_account");
    payout.links.put(
        "creditor_bank_account",
        account != null ? account : creditor.links.values().iterator().next());
    return state.payouts.add(payout);
  }

  public void payoutPaid(Payout payout) {
    payout.status = "paid";
    payouts
        .event(
            payout,
            "paid",
            "gocardless",
            "payout_paid",
            "GoCardless has transferred the payout to the creditor's bank account." + SANDBOX)
        .emit();
  }

  /**
   * The bank returned the collection. With {@code retry_if_possible} (Success+) and retries left,
   * GoCardless retries it by itself: {@code will_attempt_retry} is true and a {@code
   * resubmission_requested} event follows.
   */
  public void fail(Payment p, Failure failure) {
    boolean late = "confirmed".equals(p.status) || "paid_out".equals(p.status);
    boolean willRetry = !late && !p.instant && p.retryIfPossible && p.retries < MAX_RETRIES;
    Mandate m = p.links.get("mandate") == null ? null : state.mandates.get(p.links.get("mandate"));
    if (m != null && m.isInactive()) {
      willRetry = false;
    }
    p.status = "failed";
    State.EventBuilder event =
        payments
            .event(p, "failed")
            .origin("bank")
            .cause(failure.cause())
            .description(failure.description() + SANDBOX)
            .detail("scheme", p.scheme)
            .detail("reason_code", failure.reasonCode())
            .detail("will_attempt_retry", willRetry);
    if (!willRetry) {
      event.detail(
          "not_retried_reason",
          p.retryIfPossible && p.retries >= MAX_RETRIES ? "failure_filter_applied" : "other");
    }
    Event failed = event.emit();
    if (willRetry) {
      LocalDate chargeDate =
          m == null
              ? BankCalendar.of(p.scheme).addWorkingDays(state.today(), 5)
              : mandates.nextPossibleChargeDate(m);
      resubmit(
          p,
          chargeDate,
          "gocardless",
          "payment_autoretried",
          "The payment has been scheduled for an automatic retry." + SANDBOX,
          null,
          failed);
    }
  }

  public void lateFailureSettled(Payment p) {
    emit(
        p,
        "late_failure_settled",
        "gocardless",
        "late_failure_settled",
        "This late failure has been debited from a payout." + SANDBOX,
        null);
  }

  public void chargeBack(Payment p) {
    p.status = "charged_back";
    payments
        .event(p, "charged_back")
        .origin("bank")
        .cause("authorisation_disputed")
        .description(
            "The customer has disputed that the amount taken differs from the amount they were"
                + " notified of."
                + SANDBOX)
        .detail("scheme", p.scheme)
        .detail("reason_code", "bacs".equals(p.scheme) ? "DDICA-1" : "MD06")
        .emit();
  }

  public void chargebackSettled(Payment p) {
    emit(
        p,
        "chargeback_settled",
        "gocardless",
        "chargeback_settled",
        "This chargeback has been debited from a payout." + SANDBOX,
        null);
  }

  private void emit(
      Payment p,
      String action,
      String origin,
      String cause,
      String description,
      Map<String, String> metadata) {
    payments.event(p, action, origin, cause, description).metadata(metadata).emit();
  }
}
