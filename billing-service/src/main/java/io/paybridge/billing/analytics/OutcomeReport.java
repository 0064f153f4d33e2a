package io.paybridge.billing.analytics;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.LocalDate;
import java.util.List;

/**
 * The answer of {@code GET /analytics/outcomes}: the figures of the payments (and billing requests)
 * created in the period, those of the previous period of the same length, the trend, and a series
 * by period. Rates are fractions (0..1), {@code null} when nothing was there to divide.
 */
@Schema(description = "Outcome analytics of the team's payments created in the period")
public record OutcomeReport(
    Filter filter,
    Figures current,
    Figures previous,
    Trend trend,
    @Schema(description = "The current period by day, week (from Monday) or month")
        List<Point> series) {

  public record Filter(
      String merchantId,
      String scheme,
      String currency,
      String amountBand,
      String period,
      LocalDate from,
      LocalDate to) {}

  /** Figures of the payments created from {@code from} to {@code to} (UTC days, included). */
  public record Figures(
      LocalDate from,
      LocalDate to,
      Payments payments,
      List<Amounts> amounts,
      List<Failure> failuresByCause,
      Recovery recovery,
      Times timeToConfirmed,
      Times timeToPaidOut,
      MandateSetup mandateSetup) {}

  @Schema(
      description =
          "Payments by their latest outcome: collected (confirmed or paid out), failed, charged back, cancelled,"
              + " pending (none yet). successRate = collected / (collected + failed + chargedBack); failureRate ="
              + " failed / the same. lateFailures: payments that failed after they were confirmed or paid out;"
              + " chargebacks: payments ever charged back.")
  public record Payments(
      long created,
      long collected,
      long failed,
      long chargedBack,
      long cancelled,
      long pending,
      Double successRate,
      Double failureRate,
      long lateFailures,
      Double lateFailureRate,
      long chargebacks,
      Double chargebackRate) {}

  @Schema(description = "Sums in minor units of one currency")
  public record Amounts(
      String currency,
      long created,
      long collected,
      long failed,
      long chargedBack,
      long recoveredByGoCardless,
      long recoveredByPayBridge) {}

  @Schema(
      description =
          "Failures (each failure of a payment, retries included) with this GoCardless cause and reason code"
              + " (empty when GoCardless gave none); rate = failures / payments with an outcome")
  public record Failure(String cause, String reasonCode, long failures, Double rate) {}

  @Schema(
      description =
          "Payments that failed before they were confirmed (failedPayments), and of those the ones confirmed"
              + " later (recovered): by GoCardless when the last failure said willAttemptRetry, else by PayBridge"
              + " (a retry through the API). rate = recovered / failedPayments")
  public record Recovery(
      long failedPayments,
      long recovered,
      Double rate,
      long recoveredByGoCardless,
      Double rateByGoCardless,
      long recoveredByPayBridge,
      Double rateByPayBridge) {}

  @Schema(
      description =
          "Time from the payment's creation, in seconds, of the payments that got there. Percentiles are the upper"
              + " bound of a fixed bucket (1h, 2h, 4h, 8h, 12h, 1d, 1.5d, 2d ... 30d, 60d); null beyond 60 days or"
              + " without payments")
  public record Times(long payments, Long p50Seconds, Long p90Seconds, Long p99Seconds) {}

  @Schema(
      description =
          "Billing requests asking for a mandate created in the period (requested), fulfilled by the payer, and"
              + " whose mandate became active. Filtered by merchant and scheme only")
  public record MandateSetup(
      long requested,
      long fulfilled,
      long active,
      Double fulfilmentRate,
      Double activationRate,
      Double conversionRate) {}

  @Schema(
      description =
          "Current minus previous: rates in fraction points; createdChange = relative change of the payments created")
  public record Trend(
      Double createdChange,
      Double successRate,
      Double failureRate,
      Double lateFailureRate,
      Double chargebackRate,
      Double recoveryRate,
      Double mandateConversionRate) {}

  public record Point(
      LocalDate start,
      long created,
      long collected,
      long failed,
      long chargedBack,
      Double successRate) {}
}
