package io.paybridge.billing.analytics;

import java.time.LocalDate;

/**
 * What an analytics query asks for, checked: a team's payments created from {@code from} to {@code
 * to} (UTC days, both included), optionally one merchant, scheme, currency and amount band, with a
 * series by {@code period}.
 */
public record AnalyticsFilter(
    String team,
    String merchantId,
    String scheme,
    String currency,
    String amountBand,
    Period period,
    LocalDate from,
    LocalDate to) {

  /** The granularity of the series. */
  public enum Period {
    DAY,
    WEEK,
    MONTH;

    String sql() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The days the query spans. */
  public long days() {
    return java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1;
  }
}
