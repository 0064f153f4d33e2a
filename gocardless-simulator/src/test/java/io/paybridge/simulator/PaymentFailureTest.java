package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.InvalidStateException;
import com.gocardless.errors.ValidationFailedException;
import com.gocardless.resources.Event;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.services.PaymentService.PaymentCreateRequest.Currency;
import io.paybridge.platform.events.gocardless.BankCalendar;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failed payments, retries (with GoCardless's limits), cancellations and the payment scenario
 * simulators.
 */
@ExtendWith(TestSimulator.class)
class PaymentFailureTest {

  private static Payment payment(
      GoCardlessClient client, Mandate mandate, boolean retryIfPossible) {
    return client
        .payments()
        .create()
        .withAmount(4200)
        .withCurrency(Currency.GBP)
        .withLinksMandate(mandate.getId())
        .withRetryIfPossible(retryIfPossible)
        .withMetadata("invoice", "INV-9")
        .execute();
  }

  private static List<Event> events(GoCardlessClient client, String paymentId) {
    return client.events().list().withPayment(paymentId).execute().getItems().reversed();
  }

  @Test
  void failedPaymentIsRetriedAndThenCollected() {
    SimulatedOrganisation org = SIM.createOrganisation("Retry Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Mandate mandate = Fixtures.activeMandate(client, "Retry");
    assertThat(mandate.getStatus()).isEqualTo(Mandate.Status.ACTIVE);
    Payment payment = payment(client, mandate, false);

    client.scenarioSimulators().run("payment_failed").withLinksResource(payment.getId()).execute();
    Payment failed = client.payments().get(payment.getId()).execute();
    assertThat(failed.getStatus()).isEqualTo(Payment.Status.FAILED);
    Event failure = events(client, payment.getId()).getLast();
    assertThat(failure.getAction()).isEqualTo("failed");
    assertThat(failure.getDetails().getOrigin()).isEqualTo(Event.Details.Origin.BANK);
    assertThat(failure.getDetails().getCause()).isEqualTo("insufficient_funds");
    assertThat(failure.getDetails().getReasonCode()).isEqualTo("ARUDD-0");
    assertThat(failure.getDetails().getWillAttemptRetry()).isFalse();
    assertThat(failure.getResourceMetadata()).containsEntry("invoice", "INV-9");

    // a retry date before the mandate's next possible charge date is refused
    ValidationFailedException early =
        catchThrowableOfType(
            ValidationFailedException.class,
            () ->
                client
                    .payments()
                    .retry(payment.getId())
                    .withChargeDate(SIM.clock().today().toString())
                    .execute());
    assertThat(early.getErrors()).extracting(e -> e.getField()).containsExactly("charge_date");

    Payment retried =
        client.payments().retry(payment.getId()).withMetadata("attempt", "2").execute();
    assertThat(retried.getStatus()).isEqualTo(Payment.Status.PENDING_SUBMISSION);
    Event resubmission = events(client, payment.getId()).getLast();
    assertThat(resubmission.getAction()).isEqualTo("resubmission_requested");
    assertThat(resubmission.getDetails().getCause()).isEqualTo("payment_retried");
    assertThat(resubmission.getDetails().getOrigin()).isEqualTo(Event.Details.Origin.API);
    assertThat(resubmission.getMetadata()).containsEntry("attempt", "2");
    // An API call's events name their caller: this merchant's token was issued to the app.
    assertThat(resubmission.getSource().getType()).isEqualTo(Event.Source.Type.APP);
    assertThat(resubmission.getSource().getName()).isEqualTo("PayBridge (simulated partner app)");
    assertThat(events(client, payment.getId()).getFirst().getSource().getType())
        .isEqualTo(Event.Source.Type.APP);

    SIM.clock().advanceTo(LocalDate.parse(retried.getChargeDate()));
    assertThat(client.payments().get(payment.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.CONFIRMED);

    InvalidStateException notFailed =
        catchThrowableOfType(
            InvalidStateException.class, () -> client.payments().retry(payment.getId()).execute());
    assertThat(notFailed.getErrors())
        .extracting(e -> e.getReason())
        .containsExactly("retry_failed");
  }

  @Test
  void aPaydayPayerPaysOnlyFromPaydayToFourDaysAfterAndARetryKeyRetriesOnce() {
    SimulatedOrganisation org = SIM.createOrganisation("Payday Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Mandate mandate = Fixtures.activeMandate(client, "Payday");
    BankCalendar bacs = BankCalendar.of("bacs");
    // The 15th of the month after next: more than four days after the previous payday.
    LocalDate midMonth = bacs.rollForward(SIM.clock().today().plusMonths(2).withDayOfMonth(15));
    Payment payment =
        client
            .payments()
            .create()
            .withAmount(4200)
            .withCurrency(Currency.GBP)
            .withLinksMandate(mandate.getId())
            .withChargeDate(midMonth.toString())
            .execute();
    SIM.clock().advanceTo(midMonth);
    assertThat(client.payments().get(payment.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.FAILED);
    assertThat(events(client, payment.getId()).getLast().getDetails().getCause())
        .isEqualTo("insufficient_funds");

    LocalDate payday = midMonth.withDayOfMonth(midMonth.lengthOfMonth());
    while (!bacs.isWorkingDay(payday)) {
      payday = payday.minusDays(1);
    }
    LocalDate dayAfterPayday = bacs.addWorkingDays(payday, 1);
    client
        .payments()
        .retry(payment.getId())
        .withChargeDate(dayAfterPayday.toString())
        .withHeader("Idempotency-Key", "retry-of-failure-1")
        .execute();
    InvalidStateException again =
        catchThrowableOfType(
            InvalidStateException.class,
            () ->
                client
                    .payments()
                    .retry(payment.getId())
                    .withChargeDate(dayAfterPayday.toString())
                    .withHeader("Idempotency-Key", "retry-of-failure-1")
                    .execute());
    assertThat(again.getErrors())
        .extracting(e -> e.getReason())
        .containsExactly("idempotent_creation_conflict");
    assertThat(events(client, payment.getId()))
        .filteredOn(e -> "resubmission_requested".equals(e.getAction()))
        .hasSize(1);

    SIM.clock().advanceTo(dayAfterPayday);
    assertThat(client.payments().get(payment.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.CONFIRMED);
  }

  @Test
  void aPaymentCanBeRetriedAtMostThreeTimes() {
    SimulatedOrganisation org = SIM.createOrganisation("Limits Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Mandate mandate = Fixtures.activeMandate(client, "Limits");
    Payment payment = payment(client, mandate, false);
    for (int i = 0; i < 3; i++) {
      client
          .scenarioSimulators()
          .run("payment_failed")
          .withLinksResource(payment.getId())
          .execute();
      client.payments().retry(payment.getId()).execute();
    }
    client.scenarioSimulators().run("payment_failed").withLinksResource(payment.getId()).execute();
    InvalidStateException e =
        catchThrowableOfType(
            InvalidStateException.class, () -> client.payments().retry(payment.getId()).execute());
    assertThat(e.getErrors()).extracting(x -> x.getReason()).containsExactly("retry_failed");
    assertThat(e.getMessage()).contains("3 times");
  }

  @Test
  void successPlusRetriesAutomatically() {
    SimulatedOrganisation org = SIM.createOrganisation("AutoRetry Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Mandate mandate = Fixtures.activeMandate(client, "Auto");
    Payment payment = payment(client, mandate, true);
    client.scenarioSimulators().run("payment_failed").withLinksResource(payment.getId()).execute();
    List<Event> events = events(client, payment.getId());
    Event failed = events.get(events.size() - 2);
    assertThat(failed.getAction()).isEqualTo("failed");
    assertThat(failed.getDetails().getWillAttemptRetry()).isTrue();
    Event retry = events.getLast();
    assertThat(retry.getAction()).isEqualTo("resubmission_requested");
    assertThat(retry.getDetails().getCause()).isEqualTo("payment_autoretried");
    assertThat(retry.getLinks().getParentEvent()).isEqualTo(failed.getId());
    assertThat(retry.getSource()).as("not caused by an API call").isNull();
    assertThat(client.payments().get(payment.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.PENDING_SUBMISSION);
  }

  @Test
  void pennilessCustomersPaymentsFailWhenCollected() {
    SimulatedOrganisation org = SIM.createOrganisation("Penniless Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Mandate mandate = Fixtures.activeMandate(client, "Penniless");
    Payment payment = payment(client, mandate, false);
    SIM.clock().advanceTo(LocalDate.parse(payment.getChargeDate()));
    assertThat(client.payments().get(payment.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.FAILED);
    assertThat(events(client, payment.getId()))
        .extracting(Event::getAction)
        .containsExactly("created", "submitted", "failed");
  }

  @Test
  void chargebacksAndLateFailuresFromScenarios() {
    SimulatedOrganisation org = SIM.createOrganisation("Chargeback Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Mandate mandate = Fixtures.activeMandate(client, "Charge");
    Payment charged = payment(client, mandate, false);
    client
        .scenarioSimulators()
        .run("payment_chargeback_settled")
        .withLinksResource(charged.getId())
        .execute();
    assertThat(client.payments().get(charged.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.CHARGED_BACK);
    assertThat(events(client, charged.getId()))
        .extracting(Event::getAction)
        .containsExactly(
            "created", "submitted", "confirmed", "paid_out", "charged_back", "chargeback_settled");

    Payment late = payment(client, mandate, true);
    client
        .scenarioSimulators()
        .run("payment_late_failure")
        .withLinksResource(late.getId())
        .execute();
    Event lateFailure = events(client, late.getId()).getLast();
    assertThat(lateFailure.getAction()).isEqualTo("failed");
    assertThat(lateFailure.getDetails().getWillAttemptRetry()).isFalse();
  }

  @Test
  void cancellingAMandateCancelsItsPendingPayments() {
    SimulatedOrganisation org = SIM.createOrganisation("Cancel Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Mandate mandate = Fixtures.activeMandate(client, "Cancel");
    Payment first = payment(client, mandate, false);
    Payment second = payment(client, mandate, false);
    assertThat(client.payments().cancel(first.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.CANCELLED);
    InvalidStateException again =
        catchThrowableOfType(
            InvalidStateException.class, () -> client.payments().cancel(first.getId()).execute());
    assertThat(again.getErrors())
        .extracting(e -> e.getReason())
        .containsExactly("cancellation_failed");

    client.mandates().cancel(mandate.getId()).execute();
    Payment cancelled = client.payments().get(second.getId()).execute();
    assertThat(cancelled.getStatus()).isEqualTo(Payment.Status.CANCELLED);
    Event paymentCancelled = events(client, second.getId()).getLast();
    assertThat(paymentCancelled.getDetails().getCause()).isEqualTo("mandate_cancelled");
    Event mandateCancelled =
        client
            .events()
            .list()
            .withMandate(mandate.getId())
            .withAction("cancelled")
            .execute()
            .getItems()
            .getFirst();
    assertThat(paymentCancelled.getLinks().getParentEvent()).isEqualTo(mandateCancelled.getId());
    assertThat(mandateCancelled.getLinks().getParentEvent()).isNull();
    assertThat(
            client
                .payments()
                .list()
                .withMandate(mandate.getId())
                .withStatus(
                    com.gocardless.services.PaymentService.PaymentListRequest.Status.CANCELLED)
                .execute()
                .getItems())
        .hasSize(2);
  }

  @Test
  void mandateScenarioSimulators() {
    SimulatedOrganisation org = SIM.createOrganisation("Mandates Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Mandate m = Fixtures.pendingMandate(client, "Mandy");
    client.scenarioSimulators().run("mandate_activated").withLinksResource(m.getId()).execute();
    assertThat(client.mandates().get(m.getId()).execute().getStatus())
        .isEqualTo(Mandate.Status.ACTIVE);
    InvalidStateException e =
        catchThrowableOfType(
            InvalidStateException.class,
            () ->
                client
                    .scenarioSimulators()
                    .run("mandate_failed")
                    .withLinksResource(m.getId())
                    .execute());
    assertThat(e.getCode()).isEqualTo(422);

    Mandate other = Fixtures.pendingMandate(client, "Failing");
    Payment pending = payment(client, other, false);
    client.scenarioSimulators().run("mandate_failed").withLinksResource(other.getId()).execute();
    // The payment the failed mandate can no longer collect is cancelled, caused by the failure.
    Event mandateFailed =
        client
            .events()
            .list()
            .withMandate(other.getId())
            .withAction("failed")
            .execute()
            .getItems()
            .getFirst();
    Event paymentCancelled = events(client, pending.getId()).getLast();
    assertThat(paymentCancelled.getAction()).isEqualTo("cancelled");
    assertThat(paymentCancelled.getLinks().getParentEvent()).isEqualTo(mandateFailed.getId());
    Mandate expiring = Fixtures.pendingMandate(client, "Expiring");
    Payment orphan = payment(client, expiring, false);
    client
        .scenarioSimulators()
        .run("mandate_expired")
        .withLinksResource(expiring.getId())
        .execute();
    Event mandateExpired =
        client
            .events()
            .list()
            .withMandate(expiring.getId())
            .withAction("expired")
            .execute()
            .getItems()
            .getFirst();
    Event orphanCancelled = events(client, orphan.getId()).getLast();
    assertThat(orphanCancelled.getDetails().getCause()).isEqualTo("mandate_expired");
    assertThat(orphanCancelled.getLinks().getParentEvent()).isEqualTo(mandateExpired.getId());
    assertThat(client.mandates().get(other.getId()).execute().getStatus())
        .isEqualTo(Mandate.Status.FAILED);
    assertThat(
            client
                .events()
                .list()
                .withMandate(other.getId())
                .execute()
                .getItems()
                .getFirst()
                .getDetails()
                .getCause())
        .isEqualTo("invalid_bank_details");
  }
}
