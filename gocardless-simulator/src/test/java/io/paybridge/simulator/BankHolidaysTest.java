package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.gocardless.GoCardlessClient;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.services.PaymentService.PaymentCreateRequest.Currency;
import io.paybridge.platform.events.gocardless.BankCalendar;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Charge dates skip the scheme's bank holidays (docs/gocardless/API.md §4.4): the simulator's
 * calendars agree day by day with the published lists in {@link Dates}, and a payment asked for on
 * a holiday is charged on the next working day of its scheme.
 */
@ExtendWith(TestSimulator.class)
class BankHolidaysTest {

  private static void agreesWith(String scheme, List<LocalDate> published, int from, int to) {
    BankCalendar calendar = BankCalendar.of(scheme);
    for (LocalDate d = LocalDate.of(from, 1, 1); d.getYear() <= to; d = d.plusDays(1)) {
      assertThat(calendar.isWorkingDay(d))
          .as(scheme + " " + d)
          .isEqualTo(Dates.workingDay(d, published));
    }
  }

  @Test
  void calendarsMatchThePublishedHolidays() {
    agreesWith("bacs", Dates.ENGLAND_AND_WALES, 2026, 2028);
    agreesWith("faster_payments", Dates.ENGLAND_AND_WALES, 2026, 2028);
    agreesWith("sepa_core", Dates.TARGET2, 2026, 2028);
    agreesWith("ach", Dates.FEDERAL_RESERVE_2027, 2027, 2027);
    agreesWith("becs", List.of(), 2027, 2027);
  }

  private static Optional<LocalDate> holidayFrom(LocalDate earliest, List<LocalDate> holidays) {
    return holidays.stream()
        .filter(h -> h.isAfter(earliest) && h.getDayOfWeek().getValue() <= 5)
        .findFirst();
  }

  @Test
  void aChargeDateOnABankHolidayRollsToTheSchemesNextWorkingDay() {
    GoCardlessClient client =
        client(SIM.createOrganisation("Holidays Ltd", "successful").accessToken());
    Mandate mandate = Fixtures.activeMandate(client, "Holiday");
    Optional<LocalDate> holiday =
        holidayFrom(LocalDate.parse(mandate.getNextPossibleChargeDate()), Dates.ENGLAND_AND_WALES);
    assumeTrue(holiday.isPresent(), "the simulated date is past the published holiday list");
    Payment payment =
        client
            .payments()
            .create()
            .withAmount(1000)
            .withCurrency(Currency.GBP)
            .withChargeDate(holiday.get().toString())
            .withLinksMandate(mandate.getId())
            .execute();
    LocalDate expected = Dates.rollForward(holiday.get(), Dates.ENGLAND_AND_WALES);
    assertThat(expected).isAfter(holiday.get());
    assertThat(payment.getChargeDate()).isEqualTo(expected.toString());
  }
}
