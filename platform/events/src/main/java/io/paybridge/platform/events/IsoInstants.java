package io.paybridge.platform.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * Reads ISO-8601 instants as {@link Instant#parse} reads them, fast for the form every PayBridge
 * and GoCardless timestamp has: UTC, {@code 2026-11-30T13:45:41.123456Z}. {@code Instant.parse}
 * builds a formatter on every call; reading a webhook's events and relaying their records calls it
 * several times per event, which made it a seventh of the relay's CPU and a sixth of the webhook
 * requests' at full load (docs/benchmarks.md). Any other form is left to {@code Instant.parse}.
 */
public final class IsoInstants {

  private IsoInstants() {}

  /** The instant {@code text} names, or {@code null} when it is null or not an ISO instant. */
  public static Instant parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    Instant utc = parseUtc(text);
    if (utc != null) {
      return utc;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static final int[] NANOS_PER_DIGIT = {
    100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  /** {@code yyyy-MM-ddTHH:mm:ss[.f...]Z} with 1 to 9 fraction digits, else null. */
  private static Instant parseUtc(String text) {
    int length = text.length();
    if (length < 20
        || length == 21
        || length > 30
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(length - 1) != 'Z'
        || (length > 20 && text.charAt(19) != '.')) {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int fraction = length > 20 ? digits(text, 20, length - 21) : 0;
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) {
      return null;
    }
    if (minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0) {
      return null;
    }
    if (day > YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    int nanos = length > 20 ? fraction * NANOS_PER_DIGIT[length - 22] : 0;
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
  }

  /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
