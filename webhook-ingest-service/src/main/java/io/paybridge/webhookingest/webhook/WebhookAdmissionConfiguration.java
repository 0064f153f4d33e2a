package io.paybridge.webhookingest.webhook;

import org.eclipse.jetty.util.VirtualThreads;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/**
 * Puts {@link WebhookAdmission} in front of the webhook port's servlet container, once Spring Boot
 * has built its handlers: before every servlet filter (request ids, the observation filter, Spring
 * Security) and before any request thread.
 */
@Configuration(proxyBeanMethods = false)
class WebhookAdmissionConfiguration {

  @Bean
  WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> webhookAdmission(
      GroupCommitter ingestion,
      WebhookMetrics metrics,
      RecentRejections rejections,
      ObjectMapper json,
      WebhookProperties properties) {
    long maxBodySize = properties.maxBodySize().toBytes();
    return factory ->
        factory.addServerCustomizers(
            server ->
                server.setHandler(
                    new WebhookAdmission(
                        server.getHandler(),
                        // The server's virtual threads (WebServerConfiguration), else its pool.
                        VirtualThreads.getExecutor(server.getThreadPool()),
                        ingestion,
                        metrics,
                        rejections,
                        json,
                        maxBodySize)));
  }
}
