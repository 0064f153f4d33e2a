package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.InvalidStateException;
import com.gocardless.errors.ValidationFailedException;
import com.gocardless.resources.Event;
import com.gocardless.resources.InstalmentSchedule;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.services.InstalmentScheduleService.InstalmentScheduleCreateWithDatesRequest;
import com.gocardless.services.InstalmentScheduleService.InstalmentScheduleCreateWithDatesRequest.Instalments;
import com.gocardless.services.InstalmentScheduleService.InstalmentScheduleCreateWithScheduleRequest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Instalment schedules through the official client (docs/gocardless/API.md §4.6): both create
 * forms, {@code creation_failed} with {@code payment_errors}, completion as the clock moves,
 * cancellation through the API and with the mandate.
 */
@ExtendWith(TestSimulator.class)
class InstalmentSchedulesTest {
  private static GoCardlessClient client;

  @BeforeAll
  static void merchant() {
    client = client(SIM.createOrganisation("Instalments Ltd", "successful").accessToken());
  }

  private static InstalmentScheduleCreateWithDatesRequest withDates(
      Mandate mandate, int total, Instalments... instalments) {
    return client
        .instalmentSchedules()
        .createWithDates()
        .withName("Invoice 4404")
        .withCurrency(InstalmentScheduleCreateWithDatesRequest.Currency.GBP)
        .withTotalAmount(total)
        .withInstalments(List.of(instalments))
        .withLinksMandate(mandate.getId());
  }

  private static Instalments instalment(LocalDate date, int amount) {
    return new Instalments().withChargeDate(date.toString()).withAmount(amount);
  }

  @Test
  void withDatesCreatesEachPaymentAndCompletesWhenCollected() {
    Mandate mandate = Fixtures.activeMandate(client, "Dated");
    LocalDate first = LocalDate.parse(mandate.getNextPossibleChargeDate());
    InstalmentSchedule s =
        withDates(
                mandate,
                2500,
                instalment(first, 1000),
                instalment(first.plusMonths(1), 1000),
                instalment(first.plusMonths(2), 500).withDescription("Last part"))
            .withPaymentReference("INV4404")
            .withMetadata("invoice", "4404")
            .execute();
    assertThat(s.getId()).startsWith("IS");
    assertThat(s.getStatus()).isEqualTo(InstalmentSchedule.Status.ACTIVE);
    assertThat(s.getTotalAmount()).isEqualTo(2500);
    assertThat(s.getLinks().getMandate()).isEqualTo(mandate.getId());
    assertThat(s.getLinks().getCustomer()).isEqualTo(mandate.getLinks().getCustomer());
    List<Payment> payments =
        s.getLinks().getPayments().stream().map(id -> client.payments().get(id).execute()).toList();
    assertThat(payments)
        .extracting(Payment::getChargeDate, Payment::getAmount, Payment::getDescription)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Dates.rollForward(first).toString(), 1000, "Invoice 4404"),
            org.assertj.core.groups.Tuple.tuple(
                Dates.rollForward(first.plusMonths(1)).toString(), 1000, "Invoice 4404"),
            org.assertj.core.groups.Tuple.tuple(
                Dates.rollForward(first.plusMonths(2)).toString(), 500, "Last part"));
    assertThat(payments)
        .allSatisfy(
            p -> {
              assertThat(p.getLinks().getInstalmentSchedule()).isEqualTo(s.getId());
              assertThat(p.getReference()).isEqualTo("INV4404");
            });

    SIM.clock().advanceTo(first.plusMonths(2).plusDays(7));
    assertThat(client.instalmentSchedules().get(s.getId()).execute().getStatus())
        .isEqualTo(InstalmentSchedule.Status.COMPLETED);
    assertThat(client.events().list().withInstalmentSchedule(s.getId()).execute().getItems())
        .extracting(Event::getAction)
        .containsExactly("completed", "created");
    assertThat(
            client.instalmentSchedules().list().withMandate(mandate.getId()).execute().getItems())
        .extracting(InstalmentSchedule::getId)
        .containsExactly(s.getId());
  }

  @Test
  void withScheduleSpacesThePaymentsByTheInterval() {
    Mandate mandate = Fixtures.activeMandate(client, "Scheduled");
    LocalDate start = LocalDate.parse(mandate.getNextPossibleChargeDate()).plusDays(3);
    InstalmentSchedule s =
        client
            .instalmentSchedules()
            .createWithSchedule()
            .withName("Course fees")
            .withCurrency(InstalmentScheduleCreateWithScheduleRequest.Currency.GBP)
            .withTotalAmount(2000)
            .withInstalmentsStartDate(start.toString())
            .withInstalmentsInterval(2)
            .withInstalmentsIntervalUnit(
                InstalmentScheduleCreateWithScheduleRequest.Instalments.IntervalUnit.WEEKLY)
            .withInstalmentsAmounts(List.of(700, 700, 600))
            .withLinksMandate(mandate.getId())
            .execute();
    assertThat(
            s.getLinks().getPayments().stream()
                .map(id -> client.payments().get(id).execute().getChargeDate())
                .toList())
        .containsExactly(
            Dates.rollForward(start).toString(),
            Dates.rollForward(start.plusWeeks(2)).toString(),
            Dates.rollForward(start.plusWeeks(4)).toString());
  }

  @Test
  void anInstalmentTooEarlyFailsTheCreation() {
    Mandate mandate = Fixtures.activeMandate(client, "Early");
    LocalDate next = LocalDate.parse(mandate.getNextPossibleChargeDate());
    InstalmentSchedule s =
        withDates(mandate, 300, instalment(next.minusDays(1), 100), instalment(next, 200))
            .execute();
    assertThat(s.getStatus()).isEqualTo(InstalmentSchedule.Status.CREATION_FAILED);
    assertThat(s.getLinks().getPayments()).isEmpty();
    assertThat(s.getPaymentErrors()).containsOnlyKeys("0");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> errors = (List<Map<String, Object>>) s.getPaymentErrors().get("0");
    assertThat(errors.getFirst()).containsEntry("field", "charge_date");
    assertThat(client.events().list().withInstalmentSchedule(s.getId()).execute().getItems())
        .extracting(Event::getAction)
        .containsExactly("creation_failed");

    ValidationFailedException total =
        assertThrows(
            ValidationFailedException.class,
            () -> withDates(mandate, 999, instalment(next, 100)).execute());
    assertThat(total.getErrors()).extracting(e -> e.getField()).containsExactly("total_amount");
  }

  @Test
  void cancellingCancelsThePaymentsNotYetSubmitted() {
    Mandate mandate = Fixtures.activeMandate(client, "Cancelled");
    LocalDate next = LocalDate.parse(mandate.getNextPossibleChargeDate());
    InstalmentSchedule s =
        withDates(mandate, 300, instalment(next, 100), instalment(next.plusMonths(1), 200))
            .execute();
    InstalmentSchedule cancelled = client.instalmentSchedules().cancel(s.getId()).execute();
    assertThat(cancelled.getStatus()).isEqualTo(InstalmentSchedule.Status.CANCELLED);
    Event event =
        client.events().list().withInstalmentSchedule(s.getId()).execute().getItems().getFirst();
    assertThat(event.getAction()).isEqualTo("cancelled");
    assertThat(client.events().list().withParentEvent(event.getId()).execute().getItems())
        .extracting(e -> e.getLinks().getPayment())
        .containsExactlyInAnyOrderElementsOf(s.getLinks().getPayments());
    assertThat(s.getLinks().getPayments())
        .allSatisfy(
            id ->
                assertThat(client.payments().get(id).execute().getStatus())
                    .isEqualTo(Payment.Status.CANCELLED));
    InvalidStateException again =
        assertThrows(
            InvalidStateException.class,
            () -> client.instalmentSchedules().cancel(s.getId()).execute());
    assertThat(again.getErrors())
        .extracting(e -> e.getReason())
        .containsExactly("cancellation_failed");
  }

  @Test
  void theMandateEndingCancelsTheSchedule() {
    Mandate mandate = Fixtures.activeMandate(client, "Orphaned");
    LocalDate next = LocalDate.parse(mandate.getNextPossibleChargeDate());
    InstalmentSchedule s = withDates(mandate, 100, instalment(next, 100)).execute();
    client.mandates().cancel(mandate.getId()).execute();
    Event mandateCancelled =
        client
            .events()
            .list()
            .withMandate(mandate.getId())
            .withAction("cancelled")
            .execute()
            .getItems()
            .getFirst();
    Event scheduleCancelled =
        client.events().list().withInstalmentSchedule(s.getId()).execute().getItems().getFirst();
    assertThat(scheduleCancelled.getAction()).isEqualTo("cancelled");
    assertThat(scheduleCancelled.getDetails().getCause()).isEqualTo("mandate_cancelled");
    assertThat(scheduleCancelled.getLinks().getParentEvent()).isEqualTo(mandateCancelled.getId());
    assertThat(client.instalmentSchedules().get(s.getId()).execute().getStatus())
        .isEqualTo(InstalmentSchedule.Status.CANCELLED);
  }
}
