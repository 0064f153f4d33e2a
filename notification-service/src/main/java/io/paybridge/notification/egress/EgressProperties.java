package io.paybridge.notification.egress;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where outbound webhooks may connect ({@code paybridge.notification.egress.*}).
 *
 * @param allowedNetworks networks (CIDR) that are reachable although not public, e.g. {@code
 *     127.0.0.0/8} for a receiver on a developer's machine (local-stack) or a partner reached over
 *     a private link. Default: none, every non-public address is refused
 */
@ConfigurationProperties("paybridge.notification.egress")
public record EgressProperties(@DefaultValue({}) List<String> allowedNetworks) {}
