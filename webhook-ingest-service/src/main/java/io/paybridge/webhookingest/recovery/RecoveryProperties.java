package io.paybridge.webhookingest.recovery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Recovery of missed events ({@code paybridge.recovery.*}): the service reads GoCardless's events
 * API for every connected organisation and stores what it reads through the webhook's inbox, so
 * that an event whose webhook never arrived (an endpoint down, a wrong secret, GoCardless given up)
 * is published all the same, once.
 *
 * @param enabled the whole feature: the {@code merchants.connection} consumer, the schedule and
 *     {@code /operations/recoveries}. Off by default: it needs GoCardless ({@code
 *     paybridge.gocardless.base-url}), the company IdP (operators' JWTs, and the client credentials
 *     for oauth-service's merchant tokens) and oauth-service
 * @param scheduled whether each connected organisation is read on a schedule; {@code false} leaves
 *     only the operator's runs
 * @param interval time between two scheduled passes over the organisations (from the end of one to
 *     the start of the next)
 * @param settle a scheduled run reads events created up to this long ago, not later: younger events
 *     are left to their webhook (GoCardless's first retry of a failed webhook comes a minute
 *     later), so that what recovery publishes is what webhooks did not bring in time
 * @param overlap a scheduled run starts this long before where the last one ended, for events that
 *     GoCardless lists only some time after their {@code created_at}; what it reads again is a
 *     duplicate in the inbox and publishes nothing
 * @param pageSize events asked for per page of the events API (GoCardless allows 1..500)
 * @param lease a scheduled run holds its organisation this long, renewed at every page, so that two
 *     instances do not read the same organisation at once; a run not renewed within it (its
 *     instance stopped) is shown as {@code abandoned} and its organisation read again by the next
 *     pass
 */
@ConfigurationProperties("paybridge.recovery")
public record RecoveryProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("true") boolean scheduled,
    @DefaultValue("5m") Duration interval,
    @DefaultValue("1m") Duration settle,
    @DefaultValue("5m") Duration overlap,
    @DefaultValue("500") int pageSize,
    @DefaultValue("2m") Duration lease) {

  public RecoveryProperties {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "paybridge.recovery.interval must be positive: " + interval);
    }
    if (settle.isNegative() || overlap.isNegative()) {
      throw new IllegalArgumentException(
          "paybridge.recovery.settle and overlap must not be negative");
    }
    if (pageSize < 1 || pageSize > 500) {
      throw new IllegalArgumentException(
          "paybridge.recovery.page-size must be within 1..500 (GoCardless's limit): " + pageSize);
    }
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("paybridge.recovery.lease must be positive: " + lease);
    }
  }
}
