package io.paybridge.gateway.routing;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the services are and what never passes the gateway ({@code paybridge.gateway.*}). The
 * routes themselves ({@code spring.cloud.gateway.server.webflux.routes}) name their upstream as
 * {@code ${paybridge.gateway.upstreams.<service>}}.
 *
 * @param upstreams base URL of each service by name ({@code oauth-service}, {@code
 *     billing-service}, {@code notification-service}, {@code webhook-ingest-service})
 * @param neverRouted path patterns answered 404 before anything else, whatever the token (default
 *     {@code /internal/**}: service-to-service endpoints)
 * @param forgeableHeaders request headers removed before a request is passed on, because only a
 *     platform component may set them (default: the usual identity headers of proxies, and the
 *     forwarding headers; behind a load balancer that sets those, take them off the list)
 * @param forgeableHeaderPrefixes request headers with these prefixes are removed too (default
 *     {@code X-PayBridge-}: the platform's own internal headers)
 */
@ConfigurationProperties("paybridge.gateway")
public record RoutingProperties(
    Map<String, URI> upstreams,
    @DefaultValue("/internal/**") List<String> neverRouted,
    @DefaultValue({
          "X-Team",
          "X-Team-Id",
          "X-User",
          "X-User-Id",
          "X-Client-Id",
          "X-Forwarded-User",
          "X-Forwarded-Email",
          "X-Auth-Request-User",
          "X-Auth-Request-Email",
          "X-Remote-User",
          "Remote-User",
          "X-Authenticated-User",
          "X-Internal-Service",
          // The gateway is the edge: a client's own forwarding headers would be believed by a
          // service that reads them (Spring Cloud Gateway adds them only for trusted proxies).
          "X-Forwarded-For",
          "X-Forwarded-Host",
          "X-Forwarded-Proto",
          "X-Forwarded-Port",
          "Forwarded",
          "X-Real-IP"
        })
        List<String> forgeableHeaders,
    @DefaultValue("X-PayBridge-") List<String> forgeableHeaderPrefixes) {

  public RoutingProperties {
    upstreams = upstreams == null ? Map.of() : Map.copyOf(upstreams);
    neverRouted = List.copyOf(neverRouted);
    forgeableHeaders = forgeableHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    forgeableHeaderPrefixes =
        forgeableHeaderPrefixes.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** Whether a client may not set {@code header} (compared without case). */
  public boolean forgeable(String header) {
    String name = header.toLowerCase(Locale.ROOT);
    return forgeableHeaders.contains(name)
        || forgeableHeaderPrefixes.stream().anyMatch(name::startsWith);
  }
}
