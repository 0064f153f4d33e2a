package io.paybridge.platform.testsupport.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A service's start-up run as far as its environment: its configuration files and every {@code
 * EnvironmentPostProcessor} (web-support's GoCardless environment and live checks among them), then
 * stopped before any bean exists, so nothing is connected and no infrastructure is needed. For
 * tests of what a service refuses to start with, and of what its settings resolve to.
 */
public final class StartupEnvironment {

  private StartupEnvironment() {}

  /**
   * Prepares {@code application}'s environment with {@code variables} as its environment variables
   * (names as a deployment sets them, {@code PAYBRIDGE_GOCARDLESS_ENVIRONMENT}; the process's own
   * variables are not seen).
   *
   * @return the prepared environment
   * @throws RuntimeException whatever stopped the start-up (a refused configuration)
   */
  public static ConfigurableEnvironment prepare(
      Class<?> application, Map<String, String> variables) {
    var environment = new StandardEnvironment();
    var sources = environment.getPropertySources();
    sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    sources.addLast(
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new LinkedHashMap<>(variables)));
    var prepared = new AtomicReference<ConfigurableEnvironment>();
    SpringApplication start =
        new SpringApplicationBuilder(application)
            .environment(environment)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .build();
    // The test JVM's logging stays as its suite configured it.
    var listeners = new ArrayList<ApplicationListener<?>>();
    start.getListeners().stream()
        .filter(listener -> !(listener instanceof LoggingApplicationListener))
        .forEach(listeners::add);
    // Last of the listeners: after every EnvironmentPostProcessor has run.
    listeners.add(
        (ApplicationListener<ApplicationEnvironmentPreparedEvent>)
            event -> {
              prepared.set(event.getEnvironment());
              throw new SpringApplication.AbandonedRunException();
            });
    start.setListeners(listeners);
    try {
      start.run();
    } catch (SpringApplication.AbandonedRunException stopped) {
      return prepared.get();
    }
    throw new IllegalStateException(application.getName() + " started past its environment");
  }
}
