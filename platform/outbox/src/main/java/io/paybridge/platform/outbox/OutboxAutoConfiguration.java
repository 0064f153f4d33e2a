package io.paybridge.platform.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.paybridge.platform.events.Topics;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives a service its transactional outbox: the {@link OutboxWriter}, the start-up creation of the
 * publication and replication slot, the {@link OutboxRelay} (one leader per service), the {@link
 * IdempotentConsumer} and a dead-letter error handler for Kafka listeners, health and metrics.
 *
 * <p>On by default for a service with a data source; {@code paybridge.outbox.enabled=false} turns
 * it off, {@code paybridge.outbox.relay-enabled=false} keeps the writer but runs no relay.
 */
@AutoConfiguration(
    after = {
      DataSourceAutoConfiguration.class,
      DataSourceTransactionManagerAutoConfiguration.class,
      JdbcTemplateAutoConfiguration.class,
      FlywayAutoConfiguration.class,
      KafkaAutoConfiguration.class
    },
    // Before Spring Boot's db indicator, which backs off for ours (see Health).
    beforeName =
        "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass({JdbcTemplate.class, org.apache.kafka.clients.producer.Producer.class})
@ConditionalOnBean(JdbcTemplate.class)
@ConditionalOnProperty(prefix = "paybridge.outbox", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({OutboxProperties.class, OutboxHealthProperties.class})
class OutboxAutoConfiguration {

  private final OutboxProperties outbox;

  OutboxAutoConfiguration(OutboxProperties properties, Environment environment) {
    this.outbox = properties.resolve(environment.getProperty("spring.application.name"));
  }

  @Bean
  @ConditionalOnMissingBean
  OutboxWriter outboxWriter(JdbcTemplate jdbc) {
    return new OutboxWriter(jdbc, outbox.deleteAfterInsert());
  }

  @Bean(initMethod = "ensureReplication")
  ReplicationSetup outboxReplicationSetup(JdbcTemplate jdbc) {
    return new ReplicationSetup(jdbc, outbox);
  }

  /**
   * The database, Kafka and slot-backlog checks behind health and the backlog gauge, run in the
   * background so that neither a health request nor a scrape waits on the network.
   */
  @Bean(initMethod = "start", destroyMethod = "close")
  OutboxHealthIndicators.BackgroundChecks outboxHealthChecks(
      JdbcTemplate jdbc,
      KafkaProperties kafka,
      OutboxHealthProperties health,
      ObjectProvider<MeterRegistry> meters) {
    var checks =
        new OutboxHealthIndicators.BackgroundChecks(
            jdbc, outbox.slotName(), kafka.buildAdminProperties(), health);
    meters.ifAvailable(
        registry ->
            Gauge.builder(
                    "paybridge.outbox.backlog.bytes",
                    checks,
                    OutboxHealthIndicators.BackgroundChecks::backlogBytes)
                .description("WAL retained by the outbox slot that the relay has not confirmed yet")
                .baseUnit("bytes")
                .register(registry));
    return checks;
  }

  @Bean
  @ConditionalOnMissingBean
  IdempotentConsumer idempotentConsumer(
      JdbcTemplate jdbc, PlatformTransactionManager transactions) {
    return new IdempotentConsumer(jdbc, new TransactionTemplate(transactions));
  }

  /** Forgets applied event ids past their retention, hourly, on every instance (idempotent). */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService consumedMessagePruning(IdempotentConsumer consumer) {
    var scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("consumed-message-pruning").factory());
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            consumer.forgetOlderThan(outbox.consumedMessageRetention());
          } catch (RuntimeException e) {
            LoggerFactory.getLogger(IdempotentConsumer.class)
                .warn("Pruning consumed_message failed: {}", e.toString());
          }
        },
        1,
        60,
        TimeUnit.MINUTES);
    return scheduler;
  }

  @Bean
  @ConditionalOnProperty(prefix = "paybridge.outbox", name = "relay-enabled", matchIfMissing = true)
  @ConditionalOnBean(JdbcConnectionDetails.class)
  OutboxRelay outboxRelay(
      JdbcConnectionDetails connection,
      KafkaProperties kafka,
      ObjectProvider<MeterRegistry> meters) {
    return new OutboxRelay(
        outbox,
        new DatabaseEndpoint(
            connection.getJdbcUrl(), connection.getUsername(), connection.getPassword()),
        kafka.buildProducerProperties(),
        meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  /**
   * Retries a failing record a few times with back-off, then parks it on {@code
   * <topic>.<consumer-group>.dlt} with the error in its headers; a {@link PoisonMessageException}
   * goes there at once.
   */
  @Bean
  @ConditionalOnMissingBean(CommonErrorHandler.class)
  @ConditionalOnBean(KafkaTemplate.class)
  DefaultErrorHandler deadLetteringErrorHandler(
      KafkaTemplate<?, ?> template, KafkaProperties kafka) {
    String group =
        kafka.getConsumer().getGroupId() != null
            ? kafka.getConsumer().getGroupId()
            : outbox.serviceName();
    var recoverer =
        new DeadLetterPublishingRecoverer(
            template,
            (record, error) -> new TopicPartition(Topics.deadLetter(record.topic(), group), -1));
    var backOff = new ExponentialBackOffWithMaxRetries(3);
    backOff.setInitialInterval(200);
    backOff.setMultiplier(3);
    backOff.setMaxInterval(2_000);
    var handler = new DefaultErrorHandler(recoverer, backOff);
    handler.addNotRetryableExceptions(PoisonMessageException.class);
    return handler;
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class Health {

    @Bean
    HealthIndicator outboxRelayHealthIndicator(
        ObjectProvider<OutboxRelay> relay, OutboxHealthIndicators.BackgroundChecks checks) {
      return new OutboxHealthIndicators.Relay(relay.getIfAvailable(), checks);
    }

    @Bean
    @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
    HealthIndicator kafkaHealthIndicator(OutboxHealthIndicators.BackgroundChecks checks) {
      return new OutboxHealthIndicators.Kafka(checks);
    }

    /** Named as Spring Boot's, which then is not registered. */
    @Bean
    @ConditionalOnMissingBean(name = {"dbHealthIndicator", "dbHealthContributor"})
    HealthIndicator dbHealthIndicator(OutboxHealthIndicators.BackgroundChecks checks) {
      return new OutboxHealthIndicators.Database(checks);
    }
  }
}
