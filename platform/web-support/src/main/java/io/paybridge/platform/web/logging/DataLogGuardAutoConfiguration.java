package io.paybridge.platform.web.logging;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Installs the {@link DataLogGuard} in every service that logs through Logback. */
@AutoConfiguration
@ConditionalOnClass(name = "ch.qos.logback.classic.LoggerContext")
@ConditionalOnProperty(
    prefix = "paybridge.logging.data-guard",
    name = "enabled",
    matchIfMissing = true)
@EnableConfigurationProperties(DataLogGuardProperties.class)
class DataLogGuardAutoConfiguration {

  @Bean(destroyMethod = "close")
  DataLogGuard dataLogGuard(DataLogGuardProperties properties) {
    return DataLogGuard.install(properties.loggers());
  }
}
