package io.paybridge.billing.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RollupRangeTest {

  private static RollupRange days(String from, String to) {
    return new RollupRange(false, LocalDate.parse(from), LocalDate.parse(to));
  }

  private static RollupRange months(String from, String to) {
    return new RollupRange(true, LocalDate.parse(from), LocalDate.parse(to));
  }

  private static java.util.List<RollupRange> cover(String from, String to, boolean months) {
    return RollupRange.cover(LocalDate.parse(from), LocalDate.parse(to), months);
  }

  @Test
  void midMonthToMidMonthIsDaysWholeMonthsDays() {
    assertThat(cover("2025-06-20", "2025-09-10", true))
        .containsExactly(
            days("2025-06-20", "2025-06-30"),
            months("2025-07-01", "2025-08-31"),
            days("2025-09-01", "2025-09-10"));
  }

  @Test
  void wholeMonthsOnlyNeedNoDays() {
    // 2024 is a leap year: February ends on the 29th.
    assertThat(cover("2024-02-01", "2024-02-29", true))
        .containsExactly(months("2024-02-01", "2024-02-29"));
    assertThat(cover("2024-12-01", "2025-01-31", true))
        .containsExactly(months("2024-12-01", "2025-01-31"));
  }

  @Test
  void aRangeWithoutAWholeMonthIsDays() {
    assertThat(cover("2025-06-02", "2025-06-30", true))
        .containsExactly(days("2025-06-02", "2025-06-30"));
    assertThat(cover("2025-06-20", "2025-07-10", true))
        .containsExactly(days("2025-06-20", "2025-07-10"));
    assertThat(cover("2024-02-01", "2024-02-28", true))
        .containsExactly(days("2024-02-01", "2024-02-28"));
  }

  @Test
  void withoutMonthsItIsDays() {
    assertThat(cover("2025-06-20", "2025-09-10", false))
        .containsExactly(days("2025-06-20", "2025-09-10"));
  }

  @Test
  void anEmptyRangeIsNothing() {
    assertThat(cover("2025-06-20", "2025-06-19", true)).isEmpty();
  }

  @Test
  void aRangeEndingOnAMonthsLastDayHasNoTail() {
    assertThat(cover("2025-01-15", "2025-03-31", true))
        .containsExactly(days("2025-01-15", "2025-01-31"), months("2025-02-01", "2025-03-31"));
  }
}
