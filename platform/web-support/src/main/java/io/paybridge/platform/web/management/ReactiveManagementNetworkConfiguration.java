package io.paybridge.platform.web.management;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@link ReactiveManagementNetworkFilter} in a WebFlux application's management server context
 * only (actuator on a port of its own), as {@link ManagementNetworkConfiguration} does for servlet
 * services.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(ManagementPortProperties.class)
class ReactiveManagementNetworkConfiguration {

  @Bean
  ReactiveManagementNetworkFilter reactiveManagementNetworkFilter(
      ManagementPortProperties properties) {
    return new ReactiveManagementNetworkFilter(properties);
  }
}
