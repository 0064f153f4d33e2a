package io.paybridge.platform.web.management;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The {@link ManagementNetworkFilter} in the management server's own context: only when actuator
 * runs on a port of its own ({@code management.server.port}), never on the service's public port,
 * where no actuator endpoint is mapped at all.
 *
 * <p>The management port is also served by platform threads of its own ({@code
 * paybridge.management.threads}, named {@code management-http-*}), whatever executor the service's
 * own port uses (virtual threads included), on Tomcat and on Jetty alike.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ManagementPortProperties.class)
class ManagementNetworkConfiguration {

  private static final String THREAD_NAME = "management-http";

  @Bean
  FilterRegistrationBean<ManagementNetworkFilter> managementNetworkFilter(
      ManagementPortProperties properties) {
    var registration = new FilterRegistrationBean<>(new ManagementNetworkFilter(properties));
    // Before Spring Security's filter chain, which the management context registers too.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
  static class TomcatManagementThreads {

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService managementRequestThreads(ManagementPortProperties properties) {
      return Executors.newFixedThreadPool(
          properties.threads(), Thread.ofPlatform().daemon().name(THREAD_NAME + "-", 0).factory());
    }

    /**
     * A connector customizer, because Tomcat's factory runs those after every protocol-handler
     * customizer, among them the virtual-thread one copied from the service's server: this executor
     * is the one that stays.
     */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> managementThreadsCustomizer(
        ExecutorService managementRequestThreads) {
      return new TomcatThreads(managementRequestThreads);
    }

    private record TomcatThreads(ExecutorService executor)
        implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

      @Override
      public void customize(ConfigurableTomcatWebServerFactory factory) {
        factory.addConnectorCustomizers(
            connector -> connector.getProtocolHandler().setExecutor(executor));
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.eclipse.jetty.server.Server")
  static class JettyManagementThreads {

    /**
     * Jetty's connector takes its acceptor and selector from the server's thread pool: one of each
     * here, so that the pool holds them and {@code threads} threads that serve requests. Ordered
     * last, so that it replaces the pool any customizer copied from the service's server set
     * (Spring Boot's virtual-thread pool among them).
     */
    @Bean
    WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> managementThreadsCustomizer(
        ManagementPortProperties properties) {
      return new JettyThreads(properties.threads());
    }

    private record JettyThreads(int threads)
        implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory>, Ordered {

      private static final int ACCEPTORS = 1;
      private static final int SELECTORS = 1;

      @Override
      public void customize(ConfigurableJettyWebServerFactory factory) {
        int size = threads + ACCEPTORS + SELECTORS;
        var pool = new QueuedThreadPool(size, size);
        pool.setName(THREAD_NAME);
        pool.setDaemon(true);
        // No threads held in reserve for Jetty's own tasks: the pool is exactly what is said above.
        pool.setReservedThreads(0);
        factory.setThreadPool(pool);
        factory.setAcceptors(ACCEPTORS);
        factory.setSelectors(SELECTORS);
      }

      @Override
      public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
      }
    }
  }
}
