package io.paybridge.billing.analytics;

import io.paybridge.billing.web.ApiProblem;
import io.paybridge.billing.web.ProblemException;
import io.paybridge.billing.web.Teams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "analytics", description = "Outcome analytics of the team's payments")
class AnalyticsController {

  private static final Pattern SCHEME = Pattern.compile("[a-z0-9_]{1,40}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  private final AnalyticsService service;
  private final Teams teams;
  private final Clock clock;
  private final AnalyticsProperties properties;

  AnalyticsController(
      AnalyticsService service, Teams teams, Clock clock, AnalyticsProperties properties) {
    this.service = service;
    this.teams = teams;
    this.clock = clock;
    this.properties = properties;
  }

  @GetMapping("/analytics/outcomes")
  @Operation(
      summary = "Outcome figures of the team's payments created in a period",
      description =
          "Collection success and failure rates, failures by cause and reason code, late failures and"
              + " chargebacks, time to confirmed and to paid out (p50/p90/p99), recovery after failures (by"
              + " GoCardless's retries or PayBridge's), the mandate set-up funnel, the previous period of the same"
              + " length and the trend, and a series by day, week or month. Payments count on their creation day"
              + " (UTC). Read from roll-ups kept as billing-service's facts are consumed: figures follow the facts"
              + " within the consumer's lag. Another team's merchant answers 404 merchant-not-found; a bad filter"
              + " 400 invalid-analytics-filter.",
      security = @SecurityRequirement(name = "bearer"))
  OutcomeReport outcomes(
      @AuthenticationPrincipal Jwt caller,
      @Parameter(description = "One of the team's merchants (PayBridge's merchant id)")
          @RequestParam(required = false)
          String merchantId,
      @Parameter(description = "A GoCardless scheme, e.g. bacs, sepa_core, ach")
          @RequestParam(required = false)
          String scheme,
      @Parameter(description = "ISO 4217 currency, e.g. GBP") @RequestParam(required = false)
          String currency,
      @Parameter(
              description =
                  "Amount band in major units of the currency: lt_10, 10_100, 100_1000, gte_1000")
          @RequestParam(required = false)
          String amountBand,
      @Parameter(description = "Granularity of the series: day (default), week or month")
          @RequestParam(required = false)
          String period,
      @Parameter(
              description =
                  "First creation day (YYYY-MM-DD, UTC); default: 30 days, 12 weeks or 12 months before to")
          @RequestParam(required = false)
          String from,
      @Parameter(description = "Last creation day (YYYY-MM-DD, UTC), included; default today")
          @RequestParam(required = false)
          String to) {
    return service.outcomes(
        filter(teams.of(caller), merchantId, scheme, currency, amountBand, period, from, to));
  }

  private AnalyticsFilter filter(
      String team,
      String merchantId,
      String scheme,
      String currency,
      String amountBand,
      String period,
      String from,
      String to) {
    AnalyticsFilter.Period granularity;
    try {
      granularity =
          period == null
              ? AnalyticsFilter.Period.DAY
              : AnalyticsFilter.Period.valueOf(period.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("period must be day, week or month");
    }
    LocalDate last = to == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : date("to", to);
    LocalDate first =
        from != null
            ? date("from", from)
            : switch (granularity) {
              case DAY -> last.minusDays(29);
              case WEEK -> last.minusWeeks(12).plusDays(1);
              case MONTH -> last.minusMonths(12).plusDays(1);
            };
    if (first.isAfter(last)) {
      throw invalid("from must not be after to");
    }
    var filter =
        new AnalyticsFilter(
            team,
            blankToNull(merchantId),
            blankToNull(scheme),
            blankToNull(currency),
            blankToNull(amountBand),
            granularity,
            first,
            last);
    if (filter.days() > properties.maxRange()) {
      throw invalid("from..to spans more than " + properties.maxRange() + " days");
    }
    if (granularity == AnalyticsFilter.Period.DAY && filter.days() > properties.maxDailyPoints()) {
      throw invalid(
          "period=day spans at most " + properties.maxDailyPoints() + " days; use week or month");
    }
    if (filter.merchantId() != null && filter.merchantId().length() > 36) {
      throw invalid("merchantId is not a merchant id");
    }
    if (filter.scheme() != null && !SCHEME.matcher(filter.scheme()).matches()) {
      throw invalid("scheme must be a GoCardless scheme name such as bacs or sepa_core");
    }
    if (filter.currency() != null && !CURRENCY.matcher(filter.currency()).matches()) {
      throw invalid("currency must be an ISO 4217 code such as GBP");
    }
    if (filter.amountBand() != null
        && PaymentOutcome.AmountBand.byLabel(filter.amountBand()) == null) {
      throw invalid("amountBand must be lt_10, 10_100, 100_1000 or gte_1000");
    }
    return filter;
  }

  private static LocalDate date(String name, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw invalid(name + " must be a date YYYY-MM-DD");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ApiProblem.INVALID_ANALYTICS_FILTER, detail);
  }
}
