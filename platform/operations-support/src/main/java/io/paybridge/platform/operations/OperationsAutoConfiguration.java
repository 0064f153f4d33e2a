package io.paybridge.platform.operations;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.operations.audit.AuditActors;
import io.paybridge.platform.operations.audit.AuditController;
import io.paybridge.platform.operations.audit.AuditLog;
import io.paybridge.platform.operations.audit.AuditProperties;
import io.paybridge.platform.operations.audit.JwtAuditActors;
import io.paybridge.platform.operations.deadletters.DeadLetterController;
import io.paybridge.platform.operations.deadletters.DeadLetterProperties;
import io.paybridge.platform.operations.deadletters.DeadLetterReplays;
import io.paybridge.platform.operations.deadletters.DeadLetters;
import io.paybridge.platform.operations.deadletters.ReplayFilter;
import io.paybridge.platform.operations.timeline.OperationsTimelineContributor;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Gives a service with a database its audit log ({@link AuditLog}, table {@code audit_entry},
 * retention job) and, when it runs Kafka listeners, its dead letters ({@link DeadLetters}, {@link
 * DeadLetterReplays}, {@link ReplayFilter}); the operator endpoints of both where the service
 * switches them on ({@code paybridge.operations.endpoints=true}) behind its own security chain.
 */
@AutoConfiguration(after = {JdbcTemplateAutoConfiguration.class, KafkaAutoConfiguration.class})
@ConditionalOnBean(JdbcTemplate.class)
@EnableConfigurationProperties({AuditProperties.class, DeadLetterProperties.class})
class OperationsAutoConfiguration {

  /** The most audit entries one timeline question shows of this service. */
  private static final int MAX_AUDIT_STEPS = 100;

  /** The service's consumer group, as platform/outbox names its dead-letter topics. */
  static String group(Environment environment) {
    String group = environment.getProperty("spring.kafka.consumer.group-id");
    return group != null && !group.isBlank()
        ? group
        : environment.getProperty("spring.application.name", "application");
  }

  @Bean
  @ConditionalOnMissingBean
  AuditActors auditActors() {
    return isPresent(
            "org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken")
        ? new JwtAuditActors()
        : () -> AuditActors.SYSTEM;
  }

  @Bean
  @ConditionalOnMissingBean
  AuditLog auditLog(
      JdbcTemplate jdbc,
      ObjectMapper mapper,
      AuditActors actors,
      ObjectProvider<Clock> clock,
      ObjectProvider<MeterRegistry> meters,
      Environment environment) {
    return AuditLog.create(
        jdbc,
        mapper,
        actors,
        clock.getIfAvailable(Clock::systemUTC),
        environment.getProperty("spring.application.name", "application"),
        meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  /**
   * Dead letters, replays and audit entries in the service's part of the event timeline
   * (platform/outbox's {@code GET /operations/timeline}).
   */
  @Bean
  @ConditionalOnMissingBean
  OperationsTimelineContributor operationsTimelineContributor(
      AuditLog audit, ObjectProvider<DeadLetters> deadLetters, DeadLetterProperties properties) {
    return new OperationsTimelineContributor(
        audit, deadLetters.getIfAvailable(), properties.timelineSearch(), MAX_AUDIT_STEPS);
  }

  /** Deletes audit entries past {@code paybridge.audit.retention}, on every instance. */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService auditRetentionJob(AuditLog audit, AuditProperties properties) {
    var scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("audit-retention").factory());
    long interval = properties.retentionInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            audit.deleteExpired(properties.retention(), properties.retentionBatch());
          } catch (RuntimeException e) {
            LoggerFactory.getLogger(AuditLog.class)
                .warn("Audit retention failed: {}", e.toString());
          }
        },
        Math.min(interval, TimeUnit.MINUTES.toMillis(5)),
        interval,
        TimeUnit.MILLISECONDS);
    return scheduler;
  }

  private static boolean isPresent(String className) {
    return org.springframework.util.ClassUtils.isPresent(
        className, OperationsAutoConfiguration.class.getClassLoader());
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.kafka.core.KafkaTemplate")
  static class DeadLetterConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeadLetters deadLetters(
        KafkaProperties kafka,
        DeadLetterProperties properties,
        ObjectMapper mapper,
        Environment environment) {
      return new DeadLetters(
          kafka.buildConsumerProperties(),
          kafka.buildProducerProperties(),
          group(environment),
          properties.timeout(),
          mapper);
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetterReplays deadLetterReplays(
        DeadLetters deadLetters, AuditLog audit, DeadLetterProperties properties) {
      return new DeadLetterReplays(deadLetters, audit, properties.maxReplay());
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnBean(type = "org.springframework.security.web.SecurityFilterChain")
    @ConditionalOnProperty(
        prefix = "paybridge.operations",
        name = "endpoints",
        havingValue = "true")
    DeadLetterController deadLetterController(DeadLetters deadLetters, DeadLetterReplays replays) {
      return new DeadLetterController(deadLetters, replays);
    }

    /** Replays meant for another group are discarded by this service's listeners. */
    @Bean
    static ReplayFilter.Installer replayFilterInstaller(Environment environment) {
      return new ReplayFilter.Installer(group(environment));
    }
  }

  /**
   * Only where the service asks for them ({@code paybridge.operations.endpoints=true}) and has a
   * security chain, which must guard them ({@link OperationsAccess}): a chain that permits
   * everything would leave them open, so they are never switched on by the library alone.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnBean(type = "org.springframework.security.web.SecurityFilterChain")
  @ConditionalOnProperty(prefix = "paybridge.operations", name = "endpoints", havingValue = "true")
  static class Endpoints {

    @Bean
    AuditController auditController(AuditLog audit) {
      return new AuditController(audit);
    }
  }
}
