package io.paybridge.webhookingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The webhook port's Jetty server ({@code paybridge.web-server.*}), beyond Spring Boot's {@code
 * server.jetty.*}.
 *
 * @param acceptQueueSize connections the kernel holds for Jetty to accept (the listen backlog,
 *     capped by {@code net.core.somaxconn}). Jetty's default leaves it to the JVM's 50: when many
 *     senders connect at once, as at the start of a burst, the kernel drops the connections past it
 *     and each waits a second for TCP to retry (docs/benchmarks.md)
 */
@ConfigurationProperties("paybridge.web-server")
public record WebServerProperties(@DefaultValue("4096") int acceptQueueSize) {

  public WebServerProperties {
    if (acceptQueueSize < 1) {
      throw new IllegalArgumentException("paybridge.web-server.accept-queue-size must be positive");
    }
  }
}
