package io.paybridge.gateway.resilience;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Each service's timeout and circuit breaker ({@code paybridge.gateway.resilience.*}). A route
 * names its service's breaker in its {@code CircuitBreaker} filter; a breaker without settings of
 * its own takes {@code defaults}.
 *
 * @param defaults settings of a service without its own
 * @param services settings by breaker name (the service's name)
 */
@ConfigurationProperties("paybridge.gateway.resilience")
public record ResilienceProperties(@DefaultValue Breaker defaults, Map<String, Breaker> services) {

  public ResilienceProperties {
    services = services == null ? Map.of() : Map.copyOf(services);
  }

  public Breaker of(String service) {
    return services.getOrDefault(service, defaults);
  }

  /**
   * @param timeout the longest the gateway waits for the service's answer, retries included
   *     (default 5s); then 503
   * @param failureRateThreshold percentage of failed calls (errors and timeouts) in the window that
   *     opens the circuit (default 50)
   * @param slidingWindowSize the number of recent calls the failure rate is taken over (default 20)
   * @param minimumNumberOfCalls calls needed before the rate counts (default 10)
   * @param waitInOpenState how long an open circuit answers 503 at once before it lets trial calls
   *     through; also the {@code Retry-After} of those answers (default 10s)
   * @param permittedCallsInHalfOpenState trial calls that decide whether the circuit closes
   *     (default 3)
   */
  public record Breaker(
      @DefaultValue("5s") Duration timeout,
      @DefaultValue("50") float failureRateThreshold,
      @DefaultValue("20") int slidingWindowSize,
      @DefaultValue("10") int minimumNumberOfCalls,
      @DefaultValue("10s") Duration waitInOpenState,
      @DefaultValue("3") int permittedCallsInHalfOpenState) {}
}
