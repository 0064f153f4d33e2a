package io.paybridge.simulator.internal;

import io.paybridge.platform.events.gocardless.BankCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Wire formats for time (ISO-8601 UTC with milliseconds, dates as YYYY-MM-DD); working days are in
 * {@link BankCalendar}.
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
}
