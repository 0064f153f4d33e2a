package io.paybridge.billing.retry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Smart retries ({@code paybridge.billing.retry.*}): the policy of a merchant whose team has not
 * set one, and how far back the history reaches.
 *
 * @param enabledByDefault whether a merchant without a policy has smart retries on (default {@code
 *     false}: PayBridge collects again only for merchants whose team switched it on)
 * @param defaultMaxRetries PayBridge's retries of one payment for a merchant without a policy
 *     (default 2; GoCardless allows 3 in all)
 * @param defaultWindowDays how many days after the earliest possible charge date a retry may be
 *     placed, for a merchant without a policy (default 10)
 * @param leadWorkingDays working days between a failure and the earliest retry charge date, before
 *     the mandate's own next possible charge date is taken into account (default 3: Bacs's)
 * @param historySize how many of the merchant's latest collected or failed payments the date is
 *     chosen from (default 500)
 */
@ConfigurationProperties("paybridge.billing.retry")
public record RetryProperties(
    @DefaultValue("false") boolean enabledByDefault,
    @DefaultValue("2") int defaultMaxRetries,
    @DefaultValue("10") int defaultWindowDays,
    @DefaultValue("3") int leadWorkingDays,
    @DefaultValue("500") int historySize) {}
