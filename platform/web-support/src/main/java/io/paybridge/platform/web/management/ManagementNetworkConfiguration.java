package io.paybridge.platform.web.management;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
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
@EnableConfigurationProperties(ManagementPortProperties.class)
class ManagementNetworkConfiguration {

  /** The management port's own request threads ({@code paybridge.management.threads}). */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService managementRequestThreads(ManagementPortProperties properties) {
    return Executors.newFixedThreadPool(
        properties.threads(), Thread.ofPlatform().daemon().name("management-http-", 0).factory());
  }

  /**
   * Serves the management port with {@link #managementRequestThreads}, whatever executor the
   * service's own port uses (virtual threads included). A connector customizer, because Tomcat's
   * factory runs those after every protocol-handler customizer, among them the virtual-thread one
   * copied from the service's server: this executor is the one that stays.
   */
  @Bean
  @ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
  WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> managementThreadsCustomizer(
      ExecutorService managementRequestThreads) {
    return new ManagementThreads(managementRequestThreads);
  }

  private record ManagementThreads(ExecutorService executor)
      implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
      factory.addConnectorCustomizers(
          connector -> connector.getProtocolHandler().setExecutor(executor));
    }
  }

  @Bean
  FilterRegistrationBean<ManagementNetworkFilter> managementNetworkFilter(
      ManagementPortProperties properties) {
    var registration = new FilterRegistrationBean<>(new ManagementNetworkFilter(properties));
    // Before Spring Security's filter chain, which the management context registers too.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }
}
