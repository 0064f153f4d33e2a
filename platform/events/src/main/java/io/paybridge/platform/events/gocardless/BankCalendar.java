package io.paybridge.platform.events.gocardless;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The working days of a scheme: weekdays that are not its banks' holidays. Charge dates roll
 * forward over them and lead times count them (docs/gocardless/API.md §4.4, §9). One calendar for
 * the simulator's timelines and billing-service's retry charge dates, so both agree on a holiday.
 *
 * <ul>
 *   <li>Bacs and Faster Payments: bank holidays of England and Wales (New Year's Day, Good Friday,
 *       Easter Monday, the first and last Mondays of May, the last Monday of August, Christmas Day
 *       and Boxing Day; a holiday on a weekend moves to the next weekday not already a holiday);
 *   <li>SEPA: TARGET2 closing days (1 January, Good Friday, Easter Monday, 1 May, 25 and 26
 *       December; no substitutes);
 *   <li>ACH: Federal Reserve holidays (New Year's Day, Martin Luther King Jr. Day, Presidents' Day,
 *       Memorial Day, Juneteenth, Independence Day, Labor Day, Columbus Day, Veterans Day,
 *       Thanksgiving, Christmas Day; one on a Sunday is observed the Monday after, one on a
 *       Saturday not at all);
 *   <li>every other scheme: weekends only.
 * </ul>
 */
public final class BankCalendar {
  private enum Region {
    ENGLAND_AND_WALES,
    TARGET2,
    FEDERAL_RESERVE,
    NONE
  }

  private static final Map<Region, BankCalendar> CALENDARS = new ConcurrentHashMap<>();

  private final Region region;
  private final Map<Integer, Set<LocalDate>> holidays = new ConcurrentHashMap<>();

  private BankCalendar(Region region) {
    this.region = region;
  }

  /** The calendar of a scheme (null or unknown: weekends only). */
  public static BankCalendar of(String scheme) {
    Region region =
        scheme == null
            ? Region.NONE
            : switch (scheme) {
              case "bacs", "faster_payments" -> Region.ENGLAND_AND_WALES;
              case "sepa_core",
                  "sepa_cor1",
                  "sepa_credit_transfer",
                  "sepa_instant_credit_transfer" ->
                  Region.TARGET2;
              case "ach" -> Region.FEDERAL_RESERVE;
              default -> Region.NONE;
            };
    return CALENDARS.computeIfAbsent(region, BankCalendar::new);
  }

  public boolean isWorkingDay(LocalDate date) {
    DayOfWeek day = date.getDayOfWeek();
    return day != DayOfWeek.SATURDAY
        && day != DayOfWeek.SUNDAY
        && !holidays.computeIfAbsent(date.getYear(), this::holidaysOf).contains(date);
  }

  /** The date itself if it is a working day, else the next working day. */
  public LocalDate rollForward(LocalDate date) {
    LocalDate d = date;
    while (!isWorkingDay(d)) {
      d = d.plusDays(1);
    }
    return d;
  }

  public LocalDate addWorkingDays(LocalDate date, int days) {
    LocalDate d = rollForward(date);
    for (int i = 0; i < days; i++) {
      d = rollForward(d.plusDays(1));
    }
    return d;
  }

  public LocalDate subtractWorkingDays(LocalDate date, int days) {
    LocalDate d = date;
    int left = days;
    while (left > 0) {
      d = d.minusDays(1);
      if (isWorkingDay(d)) {
        left--;
      }
    }
    return d;
  }

  private Set<LocalDate> holidaysOf(int year) {
    Set<LocalDate> days = new HashSet<>();
    LocalDate easter = easterSunday(year);
    switch (region) {
      case ENGLAND_AND_WALES -> {
        substitute(days, LocalDate.of(year, 1, 1));
        days.add(easter.minusDays(2));
        days.add(easter.plusDays(1));
        days.add(LocalDate.of(year, 5, 1).with(TemporalAdjusters.firstInMonth(DayOfWeek.MONDAY)));
        days.add(LocalDate.of(year, 5, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)));
        days.add(LocalDate.of(year, 8, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)));
        substitute(days, LocalDate.of(year, 12, 25));
        substitute(days, LocalDate.of(year, 12, 26));
      }
      case TARGET2 -> {
        days.add(LocalDate.of(year, 1, 1));
        days.add(easter.minusDays(2));
        days.add(easter.plusDays(1));
        days.add(LocalDate.of(year, 5, 1));
        days.add(LocalDate.of(year, 12, 25));
        days.add(LocalDate.of(year, 12, 26));
      }
      case FEDERAL_RESERVE -> {
        observed(days, LocalDate.of(year, 1, 1));
        days.add(nth(year, Month.JANUARY, DayOfWeek.MONDAY, 3));
        days.add(nth(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3));
        days.add(LocalDate.of(year, 5, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)));
        observed(days, LocalDate.of(year, 6, 19));
        observed(days, LocalDate.of(year, 7, 4));
        days.add(nth(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1));
        days.add(nth(year, Month.OCTOBER, DayOfWeek.MONDAY, 2));
        observed(days, LocalDate.of(year, 11, 11));
        days.add(nth(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4));
        observed(days, LocalDate.of(year, 12, 25));
      }
      case NONE -> {}
    }
    return Set.copyOf(days);
  }

  /** England and Wales: a holiday on a weekend moves to the next weekday not yet a holiday. */
  private static void substitute(Set<LocalDate> days, LocalDate holiday) {
    LocalDate d = holiday;
    while (d.getDayOfWeek() == DayOfWeek.SATURDAY
        || d.getDayOfWeek() == DayOfWeek.SUNDAY
        || days.contains(d)) {
      d = d.plusDays(1);
    }
    days.add(d);
  }

  /** Federal Reserve: Sunday holidays are observed on Monday; Saturday ones are not observed. */
  private static void observed(Set<LocalDate> days, LocalDate holiday) {
    if (holiday.getDayOfWeek() == DayOfWeek.SUNDAY) {
      days.add(holiday.plusDays(1));
    } else if (holiday.getDayOfWeek() != DayOfWeek.SATURDAY) {
      days.add(holiday);
    }
  }

  private static LocalDate nth(int year, Month month, DayOfWeek day, int n) {
    return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, day));
  }

  /** Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm). */
  static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = ((h + l - 7 * m + 114) % 31) + 1;
    return LocalDate.of(year, month, day);
  }
}
