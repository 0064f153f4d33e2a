package io.paybridge.platform.web.management;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Refuses to start a service whose actuator would answer on its public port ({@code
 * management.server.port} unset or equal to {@code server.port}): health details and metrics are
 * for the internal network, and the management port's network check exists only on a port of its
 * own. {@code management.server.port=-1} (no actuator over HTTP) starts; {@code
 * paybridge.management.allow-public-port=true} lets a test application or a tool start anyway.
 */
@ManagementContextConfiguration(value = ManagementContextType.SAME, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(
    prefix = "paybridge.management",
    name = "allow-public-port",
    havingValue = "false",
    matchIfMissing = true)
class ActuatorOnPublicPortRefusal {

  @Bean
  Object actuatorOnPublicPortRefused() {
    throw new IllegalStateException(
        "Actuator would answer on the service's public port: set management.server.port to a port"
            + " of its own (internal network only), or -1 for no actuator over HTTP");
  }
}
