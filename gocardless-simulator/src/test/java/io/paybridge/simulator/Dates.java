package io.paybridge.simulator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Working-day arithmetic as the tests expect it from GoCardless's rules (docs/gocardless/API.md
 * §4.4: charge dates on non-working days roll forward), written independently of the simulator:
 * weekends plus the published holiday lists below.
 */
final class Dates {
  /** Bank holidays in England and Wales as gov.uk lists them (Bacs, Faster Payments). */
  static final List<LocalDate> ENGLAND_AND_WALES =
      dates(
          "2026-01-01",
          "2026-04-03",
          "2026-04-06",
          "2026-05-04",
          "2026-05-25",
          "2026-08-31",
          "2026-12-25",
          "2026-12-28",
          "2027-01-01",
          "2027-03-26",
          "2027-03-29",
          "2027-05-03",
          "2027-05-31",
          "2027-08-30",
          "2027-12-27",
          "2027-12-28",
          "2028-01-03",
          "2028-04-14",
          "2028-04-17",
          "2028-05-01",
          "2028-05-29",
          "2028-08-28",
          "2028-12-25",
          "2028-12-26");

  /** TARGET2 closing days as the ECB lists them (SEPA). */
  static final List<LocalDate> TARGET2 =
      dates(
          "2026-01-01",
          "2026-04-03",
          "2026-04-06",
          "2026-05-01",
          "2026-12-25",
          "2026-12-26",
          "2027-01-01",
          "2027-03-26",
          "2027-03-29",
          "2027-05-01",
          "2027-12-25",
          "2027-12-26",
          "2028-01-01",
          "2028-04-14",
          "2028-04-17",
          "2028-05-01",
          "2028-12-25",
          "2028-12-26");

  /** Federal Reserve holidays of 2027 as the Federal Reserve lists them (ACH). */
  static final List<LocalDate> FEDERAL_RESERVE_2027 =
      dates(
          "2027-01-01",
          "2027-01-18",
          "2027-02-15",
          "2027-05-31",
          "2027-07-05",
          "2027-09-06",
          "2027-10-11",
          "2027-11-11",
          "2027-11-25");

  private Dates() {}

  private static List<LocalDate> dates(String... values) {
    return Stream.of(values).map(LocalDate::parse).toList();
  }

  static boolean workingDay(LocalDate date, List<LocalDate> holidays) {
    return date.getDayOfWeek() != DayOfWeek.SATURDAY
        && date.getDayOfWeek() != DayOfWeek.SUNDAY
        && !Set.copyOf(holidays).contains(date);
  }

  /** The date, or the next Bacs working day. */
  static LocalDate rollForward(LocalDate date) {
    return rollForward(date, ENGLAND_AND_WALES);
  }

  static LocalDate rollForward(LocalDate date, List<LocalDate> holidays) {
    LocalDate d = date;
    while (!workingDay(d, holidays)) {
      d = d.plusDays(1);
    }
    return d;
  }

  /** {@code days} Bacs working days before {@code date}. */
  static LocalDate subtractWorkingDays(LocalDate date, int days) {
    LocalDate d = date;
    int left = days;
    while (left > 0) {
      d = d.minusDays(1);
      if (workingDay(d, ENGLAND_AND_WALES)) {
        left--;
      }
    }
    return d;
  }

  /** The first date on or after {@code from} that falls on {@code day} of its month. */
  static LocalDate nextDayOfMonth(LocalDate from, int day) {
    LocalDate d = from.withDayOfMonth(day);
    return d.isBefore(from) ? d.plusMonths(1) : d;
  }
}
