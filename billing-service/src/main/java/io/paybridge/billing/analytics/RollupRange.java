package io.paybridge.billing.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A range of days read from the roll-ups: from the daily tables, or (when {@code months}) from the
 * monthly ones, whose rows sit on the first day of their month. A query covers its days with the
 * whole months inside them plus the days left at both ends, so a long range sums a few rows per key
 * instead of one a day.
 */
record RollupRange(boolean months, LocalDate from, LocalDate to) {

  /**
   * Days {@code from}..{@code to} (both included) as daily ranges and at most one monthly range
   * (only when {@code monthsAllowed}: a series by day or week cannot be read from months).
   */
  static List<RollupRange> cover(LocalDate from, LocalDate to, boolean monthsAllowed) {
    var ranges = new ArrayList<RollupRange>();
    if (from.isAfter(to)) {
      return ranges;
    }
    LocalDate firstWhole = from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
    LocalDate lastWholeEnd =
        to.getDayOfMonth() == to.lengthOfMonth() ? to : to.withDayOfMonth(1).minusDays(1);
    if (!monthsAllowed || firstWhole.isAfter(lastWholeEnd)) {
      ranges.add(new RollupRange(false, from, to));
      return ranges;
    }
    if (from.isBefore(firstWhole)) {
      ranges.add(new RollupRange(false, from, firstWhole.minusDays(1)));
    }
    ranges.add(new RollupRange(true, firstWhole, lastWholeEnd));
    if (lastWholeEnd.isBefore(to)) {
      ranges.add(new RollupRange(false, lastWholeEnd.plusDays(1), to));
    }
    return ranges;
  }

  /** The table of this range: {@code daily} or its {@code _month} twin. */
  String table(String daily) {
    return months ? daily + "_month" : daily;
  }
}
