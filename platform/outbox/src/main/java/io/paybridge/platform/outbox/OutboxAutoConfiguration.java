package io.paybridge.platform.outbox;

import static org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.outbox.retention.RetentionJob;
import io.paybridge.platform.outbox.retention.RetentionKind;
import io.paybridge.platform.outbox.retention.RetentionProperties;
import io.paybridge.platform.outbox.retention.TableRetention;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
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
@EnableConfigurationProperties({
  OutboxProperties.class,
  ConsumerProperties.class,
  OutboxHealthProperties.class,
  RetentionProperties.class
})
class OutboxAutoConfiguration {

  /** Listeners' consumers' {@code session.timeout.ms} unless set (Kafka's own default: 45 s). */
  static final Duration CRASHED_MEMBER_SESSION = Duration.ofSeconds(10);

  private final OutboxProperties outbox;

  OutboxAutoConfiguration(OutboxProperties properties, Environment environment) {
    this.outbox = properties.resolve(environment.getProperty("spring.application.name"));
  }

  @Bean
  @ConditionalOnMissingBean
  OutboxWriter outboxWriter(JdbcTemplate jdbc, RecordTracing tracing) {
    return new OutboxWriter(jdbc, outbox.deleteAfterInsert(), tracing);
  }

  /**
   * The trace context of outbox rows, relayed records and consumers' applies: Micrometer Tracing's
   * tracer and propagator when the service has them (every service through platform/web-support),
   * else none.
   */
  @Bean
  @ConditionalOnMissingBean
  RecordTracing recordTracing(
      ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    Tracer current = tracer.getIfAvailable();
    Propagator propagation = propagator.getIfAvailable();
    return current == null || propagation == null
        ? RecordTracing.NONE
        : new RecordTracing(current, propagation);
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
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      ConsumerProperties consumer,
      RecordTracing tracing,
      org.springframework.core.env.Environment environment) {
    var template = new TransactionTemplate(transactions);
    // Statements inherit the remaining time as their query timeout, so a hanging database fails
    // the attempt (retried as transient) instead of blocking the consumer thread.
    template.setTimeout((int) Math.max(1, consumer.transactionTimeout().toSeconds()));
    // A poll's records applied one handler call each (each in its own trace) costs the handler's
    // batching: worth it only where the spans go somewhere, so by default only when an OTLP
    // tracing endpoint is set (docs/architecture.md#tracing).
    boolean exporting =
        environment.containsProperty("management.opentelemetry.tracing.export.otlp.endpoint")
            || environment.containsProperty("management.otlp.tracing.endpoint");
    boolean traceEachRecordOfAPoll =
        environment.getProperty(
            "paybridge.consumer.trace-each-record-of-a-poll", Boolean.class, exporting);
    return new IdempotentConsumer(
        jdbc, template, consumer.pollInOneTransaction(), tracing, traceEachRecordOfAPoll);
  }

  /**
   * Applied event ids are forgotten after {@code consumed-message-retention}: the kind {@code
   * consumed-messages} of the retention job.
   */
  @Bean
  RetentionKind consumedMessagesRetention(JdbcTemplate jdbc, RetentionProperties retention) {
    return new TableRetention(
        "consumed-messages",
        outbox.consumedMessageRetention(),
        jdbc,
        "consumed_message",
        "consumed_at",
        null,
        retention.batchSize());
  }

  @Bean
  @ConditionalOnProperty(prefix = "paybridge.outbox", name = "relay-enabled", matchIfMissing = true)
  @ConditionalOnBean(JdbcConnectionDetails.class)
  OutboxRelay outboxRelay(
      JdbcConnectionDetails connection,
      KafkaProperties kafka,
      ObjectProvider<MeterRegistry> meters,
      RecordTracing tracing) {
    var relay =
        new OutboxRelay(
            outbox,
            databaseEndpoint(connection),
            kafka.buildProducerProperties(),
            meters.getIfAvailable(SimpleMeterRegistry::new));
    relay.tracing(tracing);
    return relay;
  }

  private DatabaseEndpoint databaseEndpoint(JdbcConnectionDetails connection) {
    return new DatabaseEndpoint(
        connection.getJdbcUrl(),
        connection.getUsername(),
        connection.getPassword(),
        outbox.deadConnectionTimeout());
  }

  /**
   * The platform's migrations are numbered below the services' ({@code V0_x}); one added after a
   * service's own ({@code V0_2} on a database at {@code V4}) must still run there.
   */
  @Bean
  @ConditionalOnClass(org.flywaydb.core.Flyway.class)
  FlywayConfigurationCustomizer outboxMigrationsOutOfOrder() {
    return configuration -> configuration.outOfOrder(true);
  }

  @Bean
  OutboxRetention outboxRetention(JdbcTemplate jdbc, ObjectProvider<MeterRegistry> meters) {
    return new OutboxRetention(jdbc, outbox, meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  /**
   * The service's one retention job: every {@link RetentionKind} bean (the outbox's {@code
   * outbox-events} and {@code consumed-messages}, and the service's own), with the service's {@link
   * Clock} when it has one.
   */
  @Bean
  RetentionJob retentionJob(
      ObjectProvider<RetentionKind> kinds,
      RetentionProperties retention,
      ObjectProvider<Clock> clock,
      ObjectProvider<MeterRegistry> meters) {
    return new RetentionJob(
        kinds.orderedStream().toList(),
        retention,
        clock.getIfAvailable(Clock::systemUTC),
        meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  /** Runs the retention job on every instance (the deletes skip rows another instance holds). */
  @Bean(destroyMethod = "shutdownNow")
  @ConditionalOnProperty(prefix = "paybridge.retention", name = "enabled", matchIfMissing = true)
  ScheduledExecutorService retentionSchedule(RetentionJob job, RetentionProperties retention) {
    var scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("retention").factory());
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            job.run();
          } catch (RuntimeException e) {
            LoggerFactory.getLogger(RetentionJob.class).warn("Retention failed: {}", e.toString());
          }
        },
        retention.initialDelay().toMillis(),
        retention.interval().toMillis(),
        TimeUnit.MILLISECONDS);
    return scheduler;
  }

  @Bean
  @ConditionalOnMissingBean
  OutboxRepublisher outboxRepublisher(
      JdbcTemplate jdbc, KafkaProperties kafka, ObjectProvider<MeterRegistry> meters) {
    var republisher = new OutboxRepublisher(outbox, jdbc, kafka.buildProducerProperties());
    meters.ifAvailable(
        registry ->
            Gauge.builder(
                    "paybridge.outbox.parked",
                    republisher,
                    r -> {
                      try {
                        return r.parked().open();
                      } catch (java.sql.SQLException | RuntimeException e) {
                        return -1;
                      }
                    })
                .description(
                    "Records Kafka refused for good, parked by the relay, neither re-sent nor"
                        + " discarded (-1 when it cannot be read)")
                .register(registry));
    return republisher;
  }

  @Bean
  @ConditionalOnBean(JdbcConnectionDetails.class)
  SlotRecovery outboxSlotRecovery(
      JdbcTemplate jdbc, KafkaProperties kafka, JdbcConnectionDetails connection) {
    var producerConfig = kafka.buildProducerProperties();
    return new SlotRecovery(
        outbox,
        jdbc,
        new PositionTopic(outbox, producerConfig),
        new LegacyJdbcPosition(databaseEndpoint(connection)));
  }

  /**
   * After {@link #outboxSlotRecovery}, whose presence it checks (same class: declaration order).
   */
  @Bean
  @ConditionalOnBean(SlotRecovery.class)
  @ConditionalOnMissingBean
  OutboxEndpoint outboxEndpoint(SlotRecovery slots, OutboxRepublisher republisher) {
    return new OutboxEndpoint(slots, republisher);
  }

  /**
   * Retries a record that failed transiently until it passes, parks poison on {@code
   * <topic>.<consumer-group>.dlt} at once and any other failure after a few retries, with the error
   * in its headers ({@link ConsumerErrorHandler}).
   */
  @Bean
  @ConditionalOnMissingBean(CommonErrorHandler.class)
  @ConditionalOnBean(KafkaTemplate.class)
  ConsumerErrorHandler deadLetteringErrorHandler(
      KafkaTemplate<?, ?> template,
      KafkaProperties kafka,
      ConsumerProperties consumer,
      ConsumerRetries retries) {
    String group =
        kafka.getConsumer().getGroupId() != null
            ? kafka.getConsumer().getGroupId()
            : outbox.serviceName();
    var recoverer =
        new DeadLetterPublishingRecoverer(
            template,
            (record, error) -> new TopicPartition(Topics.deadLetter(record.topic(), group), -1)) {
          // Stamped when it is dead-lettered (the original's time stays in the
          // kafka_dlt-original-timestamp header), so that operators can list and replay dead
          // letters by when they were set aside.
          @Override
          protected ProducerRecord<Object, Object> createProducerRecord(
              ConsumerRecord<?, ?> record,
              TopicPartition topicPartition,
              Headers headers,
              byte[] key,
              byte[] value) {
            return new ProducerRecord<>(
                topicPartition.topic(),
                topicPartition.partition() < 0 ? null : topicPartition.partition(),
                null,
                key != null ? key : record.key(),
                value != null ? value : record.value(),
                headers);
          }
        };
    return new ConsumerErrorHandler(recoverer, consumer, retries);
  }

  @Bean
  ConsumerRetries consumerRetries(
      ConsumerProperties consumer,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<Clock> clock) {
    return new ConsumerRetries(meters.getIfAvailable(), consumer.stuckAlertAfter(), clockOf(clock));
  }

  /** The service's clock bean, or the system's in UTC for a service that declares none. */
  static Clock clockOf(ObjectProvider<Clock> clock) {
    return clock.getIfAvailable(Clock::systemUTC);
  }

  /**
   * How long events wait for Kafka, reported by the relay leader and read by every instance; for a
   * service that refuses work while the relay falls behind (webhook-ingest). Lazy: created, and its
   * queries run, only in a service that asks for it.
   */
  @Bean(initMethod = "start", destroyMethod = "close")
  @Lazy
  @ConditionalOnMissingBean
  RelayBacklog relayBacklog(
      JdbcTemplate jdbc, ObjectProvider<OutboxRelay> relay, ObjectProvider<Clock> clock) {
    Duration interval = outbox.backlogReportInterval();
    return new RelayBacklog(
        jdbc,
        outbox.serviceName(),
        relay.getIfAvailable(),
        clockOf(clock),
        interval,
        interval.multipliedBy(10));
  }

  /** Listeners' consumers close within {@code paybridge.consumer.close-timeout}. */
  @Bean
  DefaultKafkaConsumerFactoryCustomizer boundedConsumerClose(
      ConsumerProperties consumer, ObjectProvider<StaticMemberLeave> staticMemberLeave) {
    return factory ->
        boundClose(factory, consumer.closeTimeout(), staticMemberLeave.getIfAvailable());
  }

  private static <K, V> void boundClose(
      DefaultKafkaConsumerFactory<K, V> factory,
      Duration timeout,
      @Nullable StaticMemberLeave staticMemberLeave) {
    factory.addPostProcessor(c -> BoundedConsumerClose.wrap(c, timeout, staticMemberLeave));
  }

  /**
   * Listeners' consumers are dropped from their group {@link #CRASHED_MEMBER_SESSION} after their
   * process dies, unless {@code spring.kafka.consumer.properties.session.timeout.ms} says
   * otherwise. Why: a killed instance's members keep their partitions until their session runs out,
   * and with Kafka's default (45 s) a restarted instance, or the group's other members, consumed
   * nothing of those partitions for that long after every crash (docs/reliability.md, scenario 7).
   * The price of a shorter session: a member whose heartbeats (every 3 s, from the client's own
   * thread) stop for 10 s, a long stop-the-world pause or a network cut, is dropped and its
   * partitions rebalanced.
   */
  @Bean
  DefaultKafkaConsumerFactoryCustomizer crashedMembersLeaveTheirGroupSooner() {
    return factory -> {
      if (!factory.getConfigurationProperties().containsKey(SESSION_TIMEOUT_MS_CONFIG)) {
        factory.updateConfigs(
            Map.of(SESSION_TIMEOUT_MS_CONFIG, (int) CRASHED_MEMBER_SESSION.toMillis()));
      }
    };
  }

  /**
   * Listeners join their groups as static members when the instance has a name, and leave them by
   * that name as they stop.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty("paybridge.consumer.instance-id")
  static class StaticMembers {

    @Bean
    StaticMembership listenersStaticMembership(ConsumerProperties consumer) {
      String instanceId = consumer.instanceId();
      if (instanceId == null || instanceId.isBlank()) {
        throw new IllegalStateException(
            "paybridge.consumer.instance-id is set but blank: name the instance, or leave it unset");
      }
      return new StaticMembership(instanceId);
    }

    /** The admin client's connection, made at the first stop of a static member. */
    @Bean
    StaticMemberLeave staticMemberLeave(KafkaAdmin admin) {
      return new StaticMemberLeave(admin::getConfigurationProperties);
    }
  }

  /** Listeners' consumers run on platform threads, also with virtual threads on. */
  @Bean
  static BeanPostProcessor listenerConsumerThreads() {
    return new ListenerConsumerThreads();
  }

  /** Lets {@link ConsumerRetries} see records applied after failing (the end of a retry). */
  @Bean
  static BeanPostProcessor consumerRetriesInterceptorInstaller(
      ObjectProvider<ConsumerRetries> retries) {
    return new ConsumerRetriesInterceptor.Installer(retries);
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
    HealthIndicator outboxParkedHealthIndicator(
        OutboxRepublisher republisher, OutboxHealthProperties health) {
      return new OutboxHealthIndicators.Parked(republisher.parked(), health.interval());
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

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class ConsumerHealth {

    @Bean
    @ConditionalOnMissingBean(name = "consumersHealthIndicator")
    HealthIndicator consumersHealthIndicator(ConsumerRetries retries, ObjectProvider<Clock> clock) {
      return new ConsumerHealthIndicator(retries, clockOf(clock));
    }
  }

  /** The platform's part of the operators' event timeline (outbox, Kafka placements, consumed). */
  @Bean
  @ConditionalOnMissingBean
  OutboxTimelineRepository outboxTimelineRepository(JdbcTemplate jdbc) {
    return new OutboxTimelineRepository(jdbc);
  }

  /** The service's part of the event timeline: the platform's and the service's contributors. */
  @Bean
  @ConditionalOnMissingBean
  OperationsTimeline operationsTimeline(ObjectProvider<TimelineContributor> contributors) {
    return new OperationsTimeline(outbox.serviceName(), contributors.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean
  RelayReports relayReports(
      JdbcTemplate jdbc,
      ObjectProvider<OutboxRelay> relay,
      ObjectProvider<OutboxHealthIndicators.BackgroundChecks> checks) {
    return new RelayReports(
        outbox.serviceName(), relay.getIfAvailable(), checks.getIfAvailable(), jdbc);
  }

  /**
   * {@code GET /operations/timeline} and {@code GET /operations/relay} in a servlet service that is
   * an OAuth2 resource server (its chain requires the operations scope). A service without Spring
   * Security (webhook-ingest) serves them behind its own operator authentication instead.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(
      name = {"org.springframework.security.oauth2.jwt.Jwt", "io.paybridge.platform.web.Problems"})
  @ConditionalOnProperty(
      prefix = "paybridge.operations",
      name = "endpoints-enabled",
      matchIfMissing = true)
  static class OperationsEndpoints {

    @Bean
    OperationsController operationsController(OperationsTimeline timeline, RelayReports relays) {
      return new OperationsController(timeline, relays);
    }
  }
}
