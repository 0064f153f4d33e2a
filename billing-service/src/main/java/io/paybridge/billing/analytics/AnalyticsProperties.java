package io.paybridge.billing.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outcome analytics ({@code paybridge.billing.analytics.*}).
 *
 * @param maxRange the longest {@code from}..{@code to} a query may ask for (default 732 days: two
 *     years, so a year can be compared with the year before)
 * @param maxDailyPoints the most days a {@code period=day} query may span (default 366)
 * @param metricsRefresh how often the Prometheus gauges are computed again from the roll-ups
 *     (default 1m); {@code 0} switches the gauges off
 * @param metricsWindow the payments the gauges describe: those created in the last this many days,
 *     today included (default 30)
 * @param metricsTopMerchants the gauges name this many merchants (those with the most payments in
 *     the window); the others are summed under {@code merchant="other"} (default 20)
 * @param metricsTopCauses the failure gauges name this many causes, the others are summed under
 *     {@code cause="other"} (default 15)
 */
@ConfigurationProperties("paybridge.billing.analytics")
public record AnalyticsProperties(
    @DefaultValue("732") int maxRange,
    @DefaultValue("366") int maxDailyPoints,
    @DefaultValue("1m") Duration metricsRefresh,
    @DefaultValue("30") int metricsWindow,
    @DefaultValue("20") int metricsTopMerchants,
    @DefaultValue("15") int metricsTopCauses) {}
