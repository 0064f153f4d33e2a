package io.paybridge.webhookingest;

import java.time.Duration;
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
 * @param idleTimeoutAtMaxConnections the idle timeout Jetty gives the connections it has open when
 *     {@code server.jetty.max-connections} is reached, until the count falls below it (Jetty's own,
 *     30 s, otherwise; the connection whose accept reached the limit keeps 30 s). Senders that keep
 *     idle connections open after their answers, as a burst of retries does, would otherwise hold
 *     the port full for 30 s while new senders cannot connect (docs/reliability.md, scenario 10).
 *     Longer than a delivery's longest wait for its answer (the storage deadline and its grace,
 *     4.25 s)
 */
@ConfigurationProperties("paybridge.web-server")
public record WebServerProperties(
    @DefaultValue("4096") int acceptQueueSize,
    @DefaultValue("5s") Duration idleTimeoutAtMaxConnections) {

  public WebServerProperties {
    if (acceptQueueSize < 1) {
      throw new IllegalArgumentException("paybridge.web-server.accept-queue-size must be positive");
    }
    if (idleTimeoutAtMaxConnections.isNegative() || idleTimeoutAtMaxConnections.isZero()) {
      throw new IllegalArgumentException(
          "paybridge.web-server.idle-timeout-at-max-connections must be positive");
    }
  }
}
