package io.paybridge.platform.web.management;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The {@link ManagementNetworkFilter} in the management server's own context: only when actuator
 * runs on a port of its own ({@code management.server.port}), never on the service's public port,
 * where no actuator endpoint is mapped at all.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ManagementNetworkProperties.class)
class ManagementNetworkConfiguration {

  @Bean
  FilterRegistrationBean<ManagementNetworkFilter> managementNetworkFilter(
      ManagementNetworkProperties properties) {
    var registration = new FilterRegistrationBean<>(new ManagementNetworkFilter(properties));
    // Before Spring Security's filter chain, which the management context registers too.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }
}
