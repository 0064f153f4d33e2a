package io.paybridge.billing.retry;

import io.paybridge.platform.events.gocardless.BankCalendar;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Chooses a retry's charge date from history: among the working days of the window, the one most
 * like the dates this payer's earlier collections succeeded on (weight 3), and the merchant's
 * (weight 1), and least like the dates this payer's collections failed on (weight 2). Two dates are
 * alike by days after the last working day of a month (a payday-like date: 1.5 the same, half that
 * a day apart), by day of month (1 the same, half a day apart) and by weekday (0.5); days after
 * payday weigh most, as a salary is what most often refills an account. Ties go to the earlier
 * date; with no history, or none like any date of the window, the earliest date.
 */
final class ChargeDates {

  private ChargeDates() {}

  /**
   * Collection dates of the payer (the mandate) and of the merchant's other payers.
   *
   * @param payerSuccesses charge dates of the payer's collected payments
   * @param payerFailures charge dates of the payer's failed payments
   * @param merchantSuccesses charge dates of the merchant's other payers' collected payments
   */
  record History(
      List<LocalDate> payerSuccesses,
      List<LocalDate> payerFailures,
      List<LocalDate> merchantSuccesses) {}

  record Chosen(LocalDate date, String reason, String explanation) {}

  static Chosen choose(BankCalendar calendar, LocalDate earliest, int windowDays, History history) {
    LocalDate first = calendar.rollForward(earliest);
    LocalDate last = first.plusDays(windowDays);
    String window = "earliest possible " + first + ", window to " + last;
    if (history.payerSuccesses().isEmpty() && history.merchantSuccesses().isEmpty()) {
      return new Chosen(
          first, "no_history", "No earlier successful collection to learn from: " + window + ".");
    }
    LocalDate best = null;
    double bestScore = 0;
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      if (!calendar.isWorkingDay(d)) {
        continue;
      }
      double score =
          3 * likeness(calendar, d, history.payerSuccesses())
              + likeness(calendar, d, history.merchantSuccesses())
              - 2 * likeness(calendar, d, history.payerFailures());
      if (score > bestScore) {
        best = d;
        bestScore = score;
      }
    }
    if (best == null) {
      return new Chosen(
          first,
          "no_history",
          "No working day of the window is like an earlier successful collection: " + window + ".");
    }
    String source = history.payerSuccesses().isEmpty() ? "merchant_history" : "payer_history";
    return new Chosen(
        best,
        source,
        best.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.UK)
            + ", day "
            + best.getDayOfMonth()
            + " of the month, "
            + daysAfterPayday(calendar, best)
            + " days after the last working day of a month; from "
            + history.payerSuccesses().size()
            + " successful collections of this payer, "
            + history.payerFailures().size()
            + " failed ones and "
            + history.merchantSuccesses().size()
            + " of the merchant's other payers; "
            + window
            + ".");
  }

  /** How alike a date is to a list of dates, on average (0 to 3). */
  private static double likeness(BankCalendar calendar, LocalDate d, List<LocalDate> dates) {
    if (dates.isEmpty()) {
      return 0;
    }
    long afterPayday = daysAfterPayday(calendar, d);
    double sum = 0;
    for (LocalDate other : dates) {
      // A neighbouring day counts half: a date one day past every success seen is less sure.
      sum += near(d.getDayOfMonth(), other.getDayOfMonth()) * 1.0;
      sum += near(afterPayday, daysAfterPayday(calendar, other)) * 1.5;
      if (d.getDayOfWeek() == other.getDayOfWeek()) {
        sum += 0.5;
      }
    }
    return sum / dates.size();
  }

  private static double near(long a, long b) {
    long apart = Math.abs(a - b);
    return apart == 0 ? 1 : apart == 1 ? 0.5 : 0;
  }

  /** Days since the last working day of a month on or before {@code d}. */
  static long daysAfterPayday(BankCalendar calendar, LocalDate d) {
    LocalDate payday = lastWorkingDay(calendar, d);
    if (payday.isAfter(d)) {
      payday = lastWorkingDay(calendar, d.minusMonths(1));
    }
    return ChronoUnit.DAYS.between(payday, d);
  }

  private static LocalDate lastWorkingDay(BankCalendar calendar, LocalDate inMonth) {
    LocalDate day = inMonth.withDayOfMonth(inMonth.lengthOfMonth());
    while (!calendar.isWorkingDay(day)) {
      day = day.minusDays(1);
    }
    return day;
  }
}
