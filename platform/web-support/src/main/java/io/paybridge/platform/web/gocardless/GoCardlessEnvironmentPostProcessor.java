package io.paybridge.platform.web.gocardless;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns the one setting {@value GoCardlessEnvironment#PROPERTY} into the environment's URLs and, in
 * live mode, refuses a configuration that is not fit for live (see {@link LiveConfigurationCheck}).
 *
 * <p>The URLs become {@value GoCardlessEnvironment#API_URL}, {@value
 * GoCardlessEnvironment#CONNECT_URL} and {@value GoCardlessEnvironment#VERIFY_URL} at the lowest
 * precedence, so that each service's own settings refer to them and an explicit value (the
 * simulator's, or a test's) still wins. It runs after every other post-processor so that the
 * configuration files and mounted secrets are already in the environment it checks, and before any
 * bean exists: a refused service never connects to anything.
 */
public class GoCardlessEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  static final String PROPERTY_SOURCE = "paybridgeGoCardlessEnvironment";

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    GoCardlessEnvironment chosen;
    try {
      chosen = GoCardlessEnvironment.of(environment.getProperty(GoCardlessEnvironment.PROPERTY));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    Map<String, Object> urls = new LinkedHashMap<>();
    if (chosen.apiUrl() != null) {
      urls.put(GoCardlessEnvironment.API_URL, chosen.apiUrl().toString());
      urls.put(GoCardlessEnvironment.CONNECT_URL, chosen.connectUrl().toString());
      urls.put(GoCardlessEnvironment.VERIFY_URL, chosen.verifyUrl().toString());
    }
    environment.getPropertySources().remove(PROPERTY_SOURCE);
    environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, urls));
    if (chosen == GoCardlessEnvironment.LIVE) {
      List<String> problems = LiveConfigurationCheck.problems(environment);
      if (!problems.isEmpty()) {
        throw new LiveConfigurationRefusedException(problems);
      }
    }
  }
}
