package io.paybridge.billing.projection;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The rotation job of the personal data key, at {@link
 * PersonalDataEncryptionProperties#rotationInterval()} (whose default is the only one).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class PersonalDataKeySchedule implements SchedulingConfigurer {

  private final PersonalDataEncryptionProperties properties;
  private final PersonalDataKeyRotation rotation;

  PersonalDataKeySchedule(
      PersonalDataEncryptionProperties properties, PersonalDataKeyRotation rotation) {
    this.properties = properties;
    this.rotation = rotation;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(
        new FixedDelayTask(
            rotation::rotate, properties.rotationInterval(), properties.rotationInterval()));
  }
}
