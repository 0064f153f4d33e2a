package io.paybridge.platform.web.reactive;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * In WebFlux applications only (the gateway): request ids first in the chain, then the access log
 * ({@code paybridge.web.access-log.enabled=false} switches it off). Servlet services get {@code
 * RequestIds} from {@code WebSupportAutoConfiguration} instead.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ReactiveWebSupportAutoConfiguration {

  @Bean
  ReactiveRequestIds reactiveRequestIds() {
    return new ReactiveRequestIds();
  }

  @Bean
  @ConditionalOnProperty(
      prefix = "paybridge.web.access-log",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  AccessLog accessLog() {
    return new AccessLog();
  }
}
