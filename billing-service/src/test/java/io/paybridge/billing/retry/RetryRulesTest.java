package io.paybridge.billing.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of smart retries, case by case: causes and limits from GoCardless's documents
 * (docs/gocardless/API.md §4.4 retry rules, §5.3 failure causes), dates from the England and Wales
 * calendar of 2027 (gov.uk bank holidays: Good Friday 26 March, Easter Monday 29 March).
 */
class RetryRulesTest {

  private static final RetryRules RULES = new RetryRules(3);
  private static final RetryPolicy ON = new RetryPolicy("m", true, 2, 21, null);
  private static final ChargeDates.History NONE =
      new ChargeDates.History(List.of(), List.of(), List.of());

  private static Failure failure(String cause, String scheme, Boolean gocardlessRetries) {
    return new Failure(
        "EV1",
        "PM1",
        "m",
        "team",
        "OR1",
        "MD1",
        1000,
        "GBP",
        scheme,
        cause,
        "ARUDD-0",
        gocardlessRetries,
        Instant.parse("2027-03-10T09:00:00Z"));
  }

  private static Decision decide(
      Failure f, RetryPolicy policy, int earlier, int ours, String mandate) {
    return RULES.decide(f, policy, earlier, ours, mandate, null, NONE);
  }

  @Test
  void offMeansNever() {
    var off = new RetryPolicy("m", false, 2, 21, null);
    assertThat(decide(failure("insufficient_funds", "bacs", false), off, 0, 0, "active").reason())
        .isEqualTo("smart_retries_off");
  }

  @Test
  void neverWhenGoCardlessRetriesItself() {
    var d = decide(failure("insufficient_funds", "bacs", true), ON, 0, 0, "active");
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.DECLINED);
    assertThat(d.reason()).isEqualTo("gocardless_will_retry");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bank_account_closed",
        "bank_account_transferred",
        "mandate_cancelled",
        "authorisation_disputed",
        "invalid_bank_details",
        "direct_debit_not_enabled",
        "payment_stopped",
        "other"
      })
  void neverForACauseARetryCannotFix(String cause) {
    assertThat(decide(failure(cause, "bacs", false), ON, 0, 0, "active").reason())
        .isEqualTo("cause_not_retryable");
  }

  @Test
  void referToPayerOnlyOnBacs() {
    assertThat(decide(failure("refer_to_payer", "sepa_core", false), ON, 0, 0, "active").reason())
        .isEqualTo("cause_not_retryable");
    assertThat(decide(failure("refer_to_payer", "bacs", false), ON, 0, 0, "active").outcome())
        .isEqualTo(Decision.Outcome.SCHEDULED);
  }

  @Test
  void neverPastGoCardlessesLimitOfThreeNorTheTeams() {
    var generous = new RetryPolicy("m", true, 3, 21, null);
    assertThat(
            decide(failure("insufficient_funds", "bacs", false), generous, 3, 0, "active").reason())
        .isEqualTo("gocardless_retry_limit");
    assertThat(
            decide(failure("insufficient_funds", "bacs", false), generous, 2, 2, "active")
                .outcome())
        .isEqualTo(Decision.Outcome.SCHEDULED);
    assertThat(decide(failure("insufficient_funds", "bacs", false), ON, 2, 2, "active").reason())
        .isEqualTo("team_retry_limit");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cancelled", "expired", "failed", "suspended_by_payer", "submitted"})
  void neverOnAMandateThatIsNotActive(String status) {
    assertThat(decide(failure("insufficient_funds", "bacs", false), ON, 0, 0, status).reason())
        .isEqualTo("mandate_not_active");
  }

  @Test
  void withoutHistoryTheEarliestWorkingDay() {
    var d = decide(failure("insufficient_funds", "bacs", false), ON, 0, 0, "active");
    // Wednesday 10 March 2027 + 3 working days.
    assertThat(d.chargeDate()).isEqualTo(LocalDate.parse("2027-03-15"));
    assertThat(d.reason()).isEqualTo("no_history");
  }

  @Test
  void aPaydayPayerIsRetriedOnTheNextPaydayNotOnTheHoliday() {
    // Collected on the last working day of January and February 2027 (Fridays 29 and 26).
    var history =
        new ChargeDates.History(
            List.of(LocalDate.parse("2027-01-29"), LocalDate.parse("2027-02-26")),
            List.of(LocalDate.parse("2027-03-10")),
            List.of());
    var d =
        RULES.decide(
            failure("insufficient_funds", "bacs", false), ON, 0, 0, "active", null, history);
    // The last working day of March 2027 is Wednesday 31 March: a day like the payer's paydays is
    // that day or one of the few after it, never the middle of the month.
    assertThat(d.chargeDate())
        .isBetween(LocalDate.parse("2027-03-31"), LocalDate.parse("2027-04-02"));
    assertThat(d.reason()).isEqualTo("payer_history");
    assertThat(d.attempt()).isEqualTo(1);
  }

  @Test
  void theMandatesNextPossibleChargeDateIsTheEarliest() {
    var d =
        RULES.decide(
            failure("insufficient_funds", "bacs", false),
            ON,
            0,
            0,
            "active",
            LocalDate.parse("2027-03-26"),
            NONE);
    // 26 March 2027 is Good Friday, 29 March Easter Monday: the next working day is Tuesday 30th.
    assertThat(d.chargeDate()).isEqualTo(LocalDate.parse("2027-03-30"));
  }
}
