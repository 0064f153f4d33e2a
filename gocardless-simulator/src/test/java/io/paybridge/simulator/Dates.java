package io.paybridge.simulator;

import java.time.DayOfWeek;
import java.time.LocalDate;

/**
 * Working-day arithmetic as the tests expect it from GoCardless's rules (docs/gocardless/API.md
 * §4.4: charge dates on non-working days roll forward), written independently of the simulator.
 */
final class Dates {
  private Dates() {}

  static boolean workingDay(LocalDate date) {
    return date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
  }

  static LocalDate rollForward(LocalDate date) {
    LocalDate d = date;
    while (!workingDay(d)) {
      d = d.plusDays(1);
    }
    return d;
  }

  /** The first date on or after {@code from} that falls on {@code day} of its month. */
  static LocalDate nextDayOfMonth(LocalDate from, int day) {
    LocalDate d = from.withDayOfMonth(day);
    return d.isBefore(from) ? d.plusMonths(1) : d;
  }
}
