package io.paybridge.oauth.support;

import io.paybridge.oauth.OAuthServiceApplication;
import io.paybridge.platform.testsupport.EmbeddedInfrastructureInitializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Another instance of the service in the test JVM, next to the suite's own, on the same database,
 * broker, simulator and issuer: what a second pod of a rolling deploy is. It takes the suite's test
 * settings except the token encryption keys and the initial key, which each instance gets from its
 * own configuration (its secret store). It listens on a port of its own; it runs no outbox relay
 * (the suite's instance is the relay leader and relays what this one writes) and starts no Kafka
 * listeners (so the suite's consumer group keeps its partitions).
 */
public final class ServiceInstance implements AutoCloseable {

  private static final String KEYS = "paybridge.oauth.token-encryption.";

  private final ConfigurableApplicationContext context;

  private ServiceInstance(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /**
   * Starts an instance holding {@code keys}, with {@code encryption} as its other token encryption
   * settings (relative to {@code paybridge.oauth.token-encryption.}).
   */
  public static ServiceInstance start(
      TestWorld world, Map<String, String> keys, Map<String, String> encryption) {
    var properties = new LinkedHashMap<String, String>(testSettingsWithoutKeys());
    properties.put("server.port", "0");
    properties.put("paybridge.security.jwt.issuer-uri", world.issuerUri());
    properties.put("paybridge.security.jwt.audiences", TestWorld.AUDIENCE);
    properties.put("paybridge.oauth.gocardless.api-url", world.gocardless.url());
    properties.put("paybridge.oauth.gocardless.connect-url", world.gocardless.url());
    // The public callback URL, as registered with the partner app; a test routes the browser's
    // callback to whichever instance it wants, as a load balancer would.
    properties.put(
        "paybridge.oauth.gocardless.redirect-uri", TestWorld.callbackUrl(world.servicePort));
    properties.put("paybridge.outbox.relay-enabled", "false");
    properties.put("spring.kafka.listener.auto-startup", "false");
    keys.forEach((id, key) -> properties.put(KEYS + "keys." + id, key));
    encryption.forEach((name, value) -> properties.put(KEYS + name, value));
    var args = new ArrayList<String>();
    // Command-line arguments outrank application.yml (default properties would not).
    properties.forEach((name, value) -> args.add("--" + name + "=" + value));
    // The second instance shares the test JVM's logging as configured by the suite's instance:
    // initialising it again (and cleaning it up on close) would reset Logback under the suite's
    // instance, dropping what that instance installed there (its log redaction).
    String previous = System.setProperty(LOGGING_SYSTEM, "none");
    try {
      return new ServiceInstance(
          new SpringApplicationBuilder(OAuthServiceApplication.class)
              .initializers(new EmbeddedInfrastructureInitializer())
              .run(args.toArray(String[]::new)));
    } finally {
      if (previous == null) {
        System.clearProperty(LOGGING_SYSTEM);
      } else {
        System.setProperty(LOGGING_SYSTEM, previous);
      }
    }
  }

  private static final String LOGGING_SYSTEM = LoggingSystem.SYSTEM_PROPERTY;

  public int port() {
    return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** On the instance's management port (actuator). */
  public String managementUrl(String path) {
    return "http://127.0.0.1:"
        + context.getEnvironment().getRequiredProperty("local.management.port")
        + path;
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }

  private static Map<String, String> testSettingsWithoutKeys() {
    try {
      var settings = new LinkedHashMap<String, String>();
      for (var source :
          new YamlPropertySourceLoader()
              .load("test-settings", new ClassPathResource("application-test.yml"))) {
        var enumerable = (EnumerablePropertySource<?>) source;
        for (String name : enumerable.getPropertyNames()) {
          if (!name.startsWith(KEYS + "keys.")
              && !name.equals(KEYS + "active-key-id")
              && !name.equals(KEYS + "initial-active-key-id")) {
            settings.put(name, String.valueOf(enumerable.getProperty(name)));
          }
        }
      }
      return settings;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
