package io.paybridge.billing.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the projections treat GoCardless events ({@code paybridge.billing.projection.*}).
 *
 * @param unknownMerchantGrace an event of an organisation no merchant was ever announced for
 *     ({@code merchants.connection}) is retried, as the announcement may not have been read yet
 *     (the topics are read independently), while the event is younger than this; an older one is
 *     counted ({@code outcome=unknown_merchant}) and left (default 10m)
 */
@ConfigurationProperties("paybridge.billing.projection")
public record ProjectionProperties(@DefaultValue("10m") Duration unknownMerchantGrace) {}
