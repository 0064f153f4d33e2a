package io.paybridge.oauth.vault;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The vault's key material and its background work: the rotation job and this instance's key
 * heartbeat, at the intervals of {@link TokenEncryptionProperties} (whose defaults are the only
 * ones).
 */
@Configuration(proxyBeanMethods = false)
class TokenKeySchedule implements SchedulingConfigurer {

  private final TokenEncryptionProperties properties;
  private final KeyRotation rotation;
  private final KeyHolderRegistration registration;

  TokenKeySchedule(
      TokenEncryptionProperties properties,
      KeyRotation rotation,
      KeyHolderRegistration registration) {
    this.properties = properties;
    this.rotation = rotation;
    this.registration = registration;
  }

  @Bean
  static TokenCipher tokenCipher(TokenEncryptionProperties properties) {
    return TokenCipher.from(properties);
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(
        new FixedDelayTask(
            rotation::rotate, properties.rotationInterval(), properties.rotationInterval()));
    registrar.addFixedDelayTask(
        new FixedDelayTask(
            registration::heartbeat,
            properties.heartbeatInterval(),
            properties.heartbeatInterval()));
  }
}
