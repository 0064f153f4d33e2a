package io.paybridge.platform.web.tracing;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The platform's tracing defaults, at the lowest precedence (a service's or a deployment's setting
 * wins):
 *
 * <ul>
 *   <li>{@code management.tracing.sampling.probability=1.0}: every trace is kept. PayBridge's
 *       volume is payments, not page views, and the trace an operator looks for is the one of the
 *       payment a team asks about; a sampled-out trace cannot be followed afterwards.
 *   <li>No exporter endpoint: spans are made (their ids are in the logs) but sent nowhere until
 *       {@code management.opentelemetry.tracing.export.otlp.endpoint} is set, so that no service
 *       sends data to an address nobody chose.
 * </ul>
 */
public class TracingDefaults implements EnvironmentPostProcessor, Ordered {

  static final String PROPERTY_SOURCE = "paybridgeTracingDefaults";

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().remove(PROPERTY_SOURCE);
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                PROPERTY_SOURCE, Map.of("management.tracing.sampling.probability", "1.0")));
  }
}
