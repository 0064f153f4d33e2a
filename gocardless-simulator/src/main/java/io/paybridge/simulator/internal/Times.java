package io.paybridge.simulator.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Wire formats for time (ISO-8601 UTC with milliseconds, dates as YYYY-MM-DD) and working-day
 * maths.
 */
public final class Times {
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  public static String iso(Instant instant) {
    return instant == null ? null : ISO_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  public static String date(LocalDate date) {
    return date == null ? null : date.toString();
  }

  public static boolean isWorkingDay(LocalDate date) {
    DayOfWeek day = date.getDayOfWeek();
    return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
  }

  /**
   * The date itself if it is a working day, else the next working day (charge dates roll forward).
   */
  public static LocalDate rollForward(LocalDate date) {
    LocalDate d = date;
    while (!isWorkingDay(d)) {
      d = d.plusDays(1);
    }
    return d;
  }

  public static LocalDate addWorkingDays(LocalDate date, int days) {
    LocalDate d = rollForward(date);
    for (int i = 0; i < days; i++) {
      d = rollForward(d.plusDays(1));
    }
    return d;
  }

  public static LocalDate subtractWorkingDays(LocalDate date, int days) {
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
}
