package io.paybridge.gateway.ratelimit;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Each caller's request rate per route ({@code paybridge.gateway.rate-limits.*}), counted in one
 * shared store (Redis) so that every gateway replica applies the same limit. A caller is a team on
 * team routes and a client address on public routes. The limit is a token bucket: {@code
 * burst-capacity} requests at once, refilled at {@code replenish-rate} per second.
 *
 * @param defaults the limit of a route without one of its own (default 20/s, burst 40)
 * @param routes limits by route id
 * @param teams limits of single teams by route id ({@code teams.<team>.<route>}); route {@code "*"}
 *     applies to every route of the team without its own entry
 * @param failOpen when the store cannot be reached: let requests through without a limit (default
 *     {@code true}; availability of the API before exactness of the limit), or refuse them with 503
 */
@ConfigurationProperties("paybridge.gateway.rate-limits")
public record RateLimitProperties(
    @DefaultValue Limit defaults,
    Map<String, Limit> routes,
    Map<String, Map<String, Limit>> teams,
    @DefaultValue("true") boolean failOpen) {

  public RateLimitProperties {
    routes = routes == null ? Map.of() : Map.copyOf(routes);
    teams = teams == null ? Map.of() : Map.copyOf(teams);
  }

  /**
   * @param replenishRate requests per second added to the bucket (default 20)
   * @param burstCapacity the bucket's size: requests allowed at once (default 40)
   */
  public record Limit(
      @DefaultValue("20") int replenishRate, @DefaultValue("40") int burstCapacity) {

    public Limit {
      if (replenishRate < 1 || burstCapacity < replenishRate) {
        throw new IllegalArgumentException(
            "paybridge.gateway.rate-limits: replenish-rate must be ≥ 1 and burst-capacity ≥"
                + " replenish-rate");
      }
    }

    /** The time in which an empty bucket fills up again, in whole seconds (≥ 1). */
    public long windowSeconds() {
      return Math.max(1, (burstCapacity + replenishRate - 1) / replenishRate);
    }
  }

  /** The limit of {@code team} (or an anonymous caller: {@code null}) on {@code route}. */
  public Limit limitOf(String team, String route) {
    if (team != null) {
      Map<String, Limit> ofTeam = teams.get(team);
      if (ofTeam != null) {
        Limit limit = ofTeam.get(route);
        if (limit == null) {
          limit = ofTeam.get("*");
        }
        if (limit != null) {
          return limit;
        }
      }
    }
    return routes.getOrDefault(route, defaults);
  }
}
