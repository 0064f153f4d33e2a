package io.paybridge.platform.gocardless;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * What GoCardless last said about one merchant token's rate limit ({@code RateLimit-Limit}, {@code
 * -Remaining}, {@code -Reset}; API.md §1.5), read from every response including 429s. While the
 * allowance is used up, calls are refused before they are sent, until the reset.
 */
final class RateLimitHeaders {

  private final Clock clock;
  private final Duration defaultReset;
  private volatile int limit = -1;
  private volatile int remaining = -1;
  private volatile Instant reset;

  RateLimitHeaders(Clock clock, Duration defaultReset) {
    this.clock = clock;
    this.defaultReset = defaultReset;
  }

  /** An interceptor that records the headers of every response of one client. */
  Interceptor interceptor() {
    return chain -> {
      Response response = chain.proceed(chain.request());
      observe(
          response.code(),
          response.header("RateLimit-Limit"),
          response.header("RateLimit-Remaining"),
          response.header("RateLimit-Reset"));
      return response;
    };
  }

  void observe(int status, String limitHeader, String remainingHeader, String resetHeader) {
    Instant now = clock.instant();
    Instant parsedReset = parseReset(resetHeader, now);
    int parsedLimit = parseInt(limitHeader);
    if (parsedLimit > 0) {
      limit = parsedLimit;
    }
    if (status == 429) {
      remaining = 0;
      reset =
          parsedReset != null && parsedReset.isAfter(now) ? parsedReset : now.plus(defaultReset);
      return;
    }
    int parsedRemaining = parseInt(remainingHeader);
    if (parsedRemaining >= 0) {
      remaining = parsedRemaining;
      reset = parsedReset;
    }
  }

  /** GoCardless's limit per window, when it said. */
  Optional<Integer> limit() {
    return limit > 0 ? Optional.of(limit) : Optional.empty();
  }

  /**
   * How long calls must wait, when the allowance left is at most {@code reserve} and the reset is
   * still ahead; empty when a call may go.
   */
  Optional<Duration> blockedFor(int reserve) {
    Instant until = reset;
    if (remaining < 0 || remaining > reserve || until == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(clock.instant(), until);
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /**
   * {@code RateLimit-Reset}: an HTTP-date (what the API is believed to send), or seconds (the IETF
   * draft's delta; a large number is read as epoch seconds). Unreadable: {@code null}.
   */
  static Instant parseReset(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.trim();
    if (text.chars().allMatch(Character::isDigit) && text.length() <= 12) {
      long seconds = Long.parseLong(text);
      return seconds < 1_000_000_000L ? now.plusSeconds(seconds) : Instant.ofEpochSecond(seconds);
    }
    try {
      return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static int parseInt(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
