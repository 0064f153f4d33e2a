package io.paybridge.simulator.refunds;

import io.paybridge.platform.events.gocardless.BankCalendar;
import io.paybridge.simulator.creditors.Creditor;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.payments.Payment;
import java.time.LocalDate;
import java.util.Map;

/**
 * The refund state machine (docs/gocardless/API.md §4.7): a refund of a confirmed or paid-out
 * payment, never more in total than the payment's amount, at most 5 per payment; {@code
 * pending_submission → submitted} the next working day, {@code → paid} the working day after.
 */
public final class Refunds {
  private static final String SANDBOX = " [SANDBOX TRANSITION]";

  /** GoCardless refuses a sixth refund of one payment ({@code number_of_refunds_exceeded}). */
  static final int MAX_REFUNDS_PER_PAYMENT = 5;

  private final State state;
  final ResourceType<Refund> type;

  public Refunds(State state) {
    this.state = state;
    this.type = new ResourceType<>(state, "refunds", "refund", state.refunds, r -> r.metadata);
  }

  /**
   * Refunds {@code amount} of {@code payment}. {@code totalAmountConfirmation}, when given, must be
   * the payment's refunded total including this refund.
   */
  public Refund create(
      Payment payment,
      long amount,
      Long totalAmountConfirmation,
      String reference,
      Map<String, String> metadata) {
    Creditor creditor = state.creditorOf(payment.organisationId);
    if (!creditor.canCreateRefunds) {
      throw ApiException.invalidState(
          "refunds_not_enabled", "Refunds are not enabled for this creditor");
    }
    if (!"confirmed".equals(payment.status) && !"paid_out".equals(payment.status)) {
      throw ApiException.invalidState(
          "refund_payment_invalid_state",
          "Only confirmed or paid out payments can be refunded; this payment is " + payment.status);
    }
    if (totalAmountConfirmation != null
        && totalAmountConfirmation != payment.amountRefunded + amount) {
      throw ApiException.invalidState(
          "total_amount_confirmation_invalid",
          "total_amount_confirmation must be the payment's refunded total including this refund ("
              + (payment.amountRefunded + amount)
              + ")");
    }
    long refunds = state.refunds.list(r -> payment.id.equals(r.links.get("payment"))).size();
    if (refunds >= MAX_REFUNDS_PER_PAYMENT) {
      throw ApiException.invalidState(
          "number_of_refunds_exceeded",
          "A payment can be refunded at most " + MAX_REFUNDS_PER_PAYMENT + " times");
    }
    if (payment.amountRefunded + amount > payment.amount) {
      throw ApiException.invalidState(
          "available_refund_amount_insufficient",
          "The payment has "
              + (payment.amount - payment.amountRefunded)
              + " left to refund, less than the "
              + amount
              + " requested");
    }
    Refund r = new Refund();
    r.id = state.ids.next("RF");
    r.createdAt = state.nowIso();
    r.organisationId = payment.organisationId;
    r.amount = amount;
    r.currency = payment.currency;
    r.reference = reference;
    if (metadata != null) {
      r.metadata = metadata;
    }
    r.links.put("payment", payment.id);
    if (payment.links.get("mandate") != null) {
      r.links.put("mandate", payment.links.get("mandate"));
    }
    BankCalendar calendar = BankCalendar.of(payment.scheme);
    r.submitOn = calendar.addWorkingDays(state.today(), 1);
    r.paidOn = calendar.addWorkingDays(r.submitOn, 1);
    payment.amountRefunded += amount;
    state.refunds.add(r);
    type.event(r, "created", "api", "refund_created", "The refund has been created.")
        .link("payment", payment.id)
        .metadata(metadata)
        .emit();
    return r;
  }

  /** Applies the refund's due transitions on {@code today}; call with the lock held. */
  public boolean advance(Refund r, LocalDate today) {
    if ("pending_submission".equals(r.status) && !today.isBefore(r.submitOn)) {
      r.status = "submitted";
      return true;
    }
    if ("submitted".equals(r.status) && !today.isBefore(r.paidOn)) {
      pay(r);
      return true;
    }
    return false;
  }

  /** {@code → paid} with the {@code paid} event (also the {@code refund_paid} scenario). */
  public void pay(Refund r) {
    if ("pending_submission".equals(r.status)) {
      r.status = "submitted";
    }
    if (!"submitted".equals(r.status)) {
      throw ApiException.invalidState(
          "invalid_state", "A refund that is " + r.status + " can't be paid");
    }
    r.status = "paid";
    type.event(
            r,
            "paid",
            "gocardless",
            "refund_paid",
            "The refund has been paid to your customer." + SANDBOX)
        .link("payment", r.links.get("payment"))
        .emit();
  }

  /** The {@code refund_settled} scenario: paid, then debited from a payout. */
  public void settle(Refund r) {
    if (!"paid".equals(r.status)) {
      pay(r);
    }
    type.event(
            r,
            "refund_settled",
            "gocardless",
            "refund_settled",
            "The refund has been deducted from a payout." + SANDBOX)
        .link("payment", r.links.get("payment"))
        .emit();
  }
}
