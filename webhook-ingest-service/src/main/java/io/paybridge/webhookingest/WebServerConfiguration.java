package io.paybridge.webhookingest;

import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.jetty.autoconfigure.JettyServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The webhook port runs on Jetty, not Tomcat: Tomcat closes the connection after every 503 (its
 * fixed list of statuses that end a connection), so past capacity every refused delivery cost its
 * sender and the service a new TCP connection, and refusals that should take milliseconds took tens
 * of them on a busy machine. Jetty keeps the connection: a refusal is one short answer on it
 * (docs/benchmarks.md, the 2× saturation phase).
 *
 * <p>Its threads: Jetty's acceptor and selectors on platform threads of a {@link QueuedThreadPool}
 * (the selectors also run the admission limit, {@code WebhookAdmission}) and every other request's
 * handling on a virtual thread of its own (Jetty's virtual-threads executor), since a webhook
 * blocks until its group's commit. Spring Boot's virtual-thread set-up ({@code
 * spring.threads.virtual.enabled}) would put the acceptor and selectors on virtual threads too;
 * this customizer runs after it and replaces that pool.
 */
@Configuration(proxyBeanMethods = false)
class WebServerConfiguration {

  @Bean
  WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> webhookServer(
      WebServerProperties properties, JettyServerProperties jetty) {
    return new WebhookServer(
        properties.acceptQueueSize(), properties.idleTimeoutAtMaxConnections(), jetty.getThreads());
  }

  private record WebhookServer(
      int acceptQueueSize,
      Duration idleTimeoutAtMaxConnections,
      JettyServerProperties.Threads threads)
      implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory>, Ordered {

    @Override
    public void customize(ConfigurableJettyWebServerFactory factory) {
      // Sized by server.jetty.threads.* as Spring Boot's own pool would be (its queue capacity
      // aside: the pool's tasks are few, the requests run on virtual threads).
      var pool = new QueuedThreadPool();
      if (threads.getMax() != null) {
        pool.setMaxThreads(threads.getMax());
      }
      if (threads.getMin() != null) {
        pool.setMinThreads(threads.getMin());
      }
      if (threads.getIdleTimeout() != null) {
        pool.setIdleTimeout((int) threads.getIdleTimeout().toMillis());
      }
      pool.setName("http");
      pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
      factory.setThreadPool(pool);
      // The selectors read every request and answer the admission limit's refusals themselves
      // (WebhookAdmission): one per core, where Jetty would have one per two. On 2 cores, 2
      // refused faster and stored more at 3,000 deliveries/s offered than 1 or 4
      // (docs/benchmarks.md, 2026-12-01). server.jetty.threads.selectors still decides if set.
      factory.setSelectors(
          threads.getSelectors() != null && threads.getSelectors() > 0
              ? threads.getSelectors()
              : Runtime.getRuntime().availableProcessors());
      factory.addServerCustomizers(
          server -> {
            for (var connector : server.getConnectors()) {
              if (connector instanceof ServerConnector serverConnector) {
                serverConnector.setAcceptQueueSize(acceptQueueSize);
              }
              // Jetty keeps, per connection, a cache of the header fields it parsed (1,024 by
              // default), built after the connection's first request: about 64 KB of tries each.
              // With thousands of senders' connections open at once, as in a burst of retries
              // after a stop, that alone filled the heap (docs/reliability.md, scenario 10).
              // Parsing a webhook's few headers again cost nothing measurable (docs/benchmarks.md,
              // 2026-12-01 06:26).
              var http = connector.getConnectionFactory(HttpConnectionFactory.class);
              if (http != null) {
                http.getHttpConfiguration().setHeaderCacheSize(0);
              }
            }
            // server.jetty.max-connections' limit (Spring Boot's): when it is reached, the
            // connections open then close after this idle time, not Jetty's 30 s, and new senders
            // get in (WebServerConfigurationTest).
            var limit = server.getBean(NetworkConnectionLimit.class);
            if (limit != null) {
              limit.setEndPointIdleTimeout(idleTimeoutAtMaxConnections.toMillis());
            }
          });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
