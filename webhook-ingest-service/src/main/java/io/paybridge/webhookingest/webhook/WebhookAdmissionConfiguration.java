package io.paybridge.webhookingest.webhook;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

/**
 * Registers {@link WebhookAdmission} first: before the observation filter ({@code
 * HIGHEST_PRECEDENCE + 1}) and Spring Security, for the webhook's path only.
 */
@Configuration(proxyBeanMethods = false)
class WebhookAdmissionConfiguration {

  @Bean
  FilterRegistrationBean<WebhookAdmission> webhookAdmission(
      GroupCommitter ingestion,
      WebhookMetrics metrics,
      RecentRejections rejections,
      ObjectMapper json,
      WebhookProperties properties) {
    var registration =
        new FilterRegistrationBean<>(
            new WebhookAdmission(
                ingestion, metrics, rejections, json, properties.maxBodySize().toBytes()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns(GoCardlessWebhookController.PATH);
    return registration;
  }
}
