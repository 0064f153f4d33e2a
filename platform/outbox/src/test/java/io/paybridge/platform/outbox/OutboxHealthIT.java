package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.testsupport.IntegrationTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Health requests are answered from state the service keeps, never from the network: a burst of
 * them takes no connection from the pool and sends Kafka no request, and they answer at once while
 * Kafka is unreachable. The background checks run once at start here ({@code interval=1h}), so
 * whatever reaches the database or the broker during the burst was caused by the burst.
 */
@IntegrationTest(properties = "paybridge.outbox.health.interval=1h")
@Import(OutboxHealthIT.CountingDataSource.class)
class OutboxHealthIT {

  private static final int CONCURRENT_REQUESTS = 200;

  @Autowired
  @Qualifier("dbHealthIndicator")
  HealthIndicator db;

  @Autowired
  @Qualifier("kafkaHealthIndicator")
  HealthIndicator kafka;

  @Autowired
  @Qualifier("outboxRelayHealthIndicator")
  HealthIndicator relay;

  @Autowired JdbcTemplate jdbc;

  @Test
  void aBurstOfHealthRequestsUsesNeitherTheConnectionPoolNorKafka() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> db.health().getStatus().equals(Status.UP));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kafka.health().getStatus().equals(Status.UP));
    long describeClusterBefore = brokerDescribeClusterRequests();
    // The broker counts the start-up check's request: the counter read below is the real one.
    assertThat(describeClusterBefore).isPositive();

    List<Health> answers = new ArrayList<>();
    try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
      var futures = new ArrayList<Future<List<Health>>>();
      for (int i = 0; i < CONCURRENT_REQUESTS; i++) {
        futures.add(
            clients.submit(
                () -> {
                  CountingDataSource.healthCaller.set(true);
                  try {
                    return List.of(db.health(), kafka.health(), relay.health());
                  } finally {
                    CountingDataSource.healthCaller.remove();
                  }
                }));
      }
      for (var future : futures) {
        answers.addAll(future.get());
      }
    }

    assertThat(answers).hasSize(3 * CONCURRENT_REQUESTS);
    for (int i = 0; i < answers.size(); i += 3) {
      assertThat(answers.get(i).getStatus()).isEqualTo(Status.UP); // db
      assertThat(answers.get(i + 1).getStatus()).isEqualTo(Status.UP); // kafka
      assertThat(answers.get(i + 2).getDetails()).containsKeys("role", "backlogBytes");
    }
    assertThat(CountingDataSource.connectionsForHealth).isEmpty();
    // Anything else in this JVM that asks the cluster (none expected) gets a small margin; one
    // admin request per health request would be 200.
    assertThat(brokerDescribeClusterRequests() - describeClusterBefore).isLessThan(5);

    // The counting data source does see connections taken on a caller's thread.
    CountingDataSource.healthCaller.set(true);
    try {
      jdbc.queryForObject("select 1", Integer.class);
    } finally {
      CountingDataSource.healthCaller.remove();
    }
    assertThat(CountingDataSource.connectionsForHealth).isNotEmpty();
  }

  @Test
  void answersAtOnceWhileKafkaIsUnreachable() throws Exception {
    var kafkaTimeout = Duration.ofSeconds(2);
    var properties = new OutboxHealthProperties(Duration.ofMillis(200), kafkaTimeout);
    try (var checks =
        new OutboxHealthIndicators.BackgroundChecks(
            jdbc,
            "outbox_test_outbox",
            Map.of("bootstrap.servers", "localhost:" + unusedPort()),
            properties)) {
      checks.start();
      var unreachable = new OutboxHealthIndicators.Kafka(checks);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> unreachable.health().getDetails().containsKey("error"));

      // A request that asked Kafka itself would wait the check's timeout: one such request alone
      // would use up the time given to a thousand, which leaves a loaded machine ample room.
      long deadline = System.nanoTime() + kafkaTimeout.toNanos();
      int reads = 0;
      while (reads < 1_000 && System.nanoTime() < deadline) {
        assertThat(unreachable.health().getStatus()).isEqualTo(Status.DOWN);
        reads++;
      }
      assertThat(reads).as("health reads answered within the check's timeout").isEqualTo(1_000);
      assertThat(new OutboxHealthIndicators.Database(checks).health().getStatus())
          .isEqualTo(Status.UP);
    }
  }

  /** Requests served by the embedded broker (in this JVM) that only an admin client sends. */
  private static long brokerDescribeClusterRequests() throws Exception {
    var server = ManagementFactory.getPlatformMBeanServer();
    long total = 0;
    for (var name :
        server.queryNames(
            new ObjectName(
                "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=DescribeCluster,*"),
            null)) {
      total += ((Number) server.getAttribute(name, "Count")).longValue();
    }
    return total;
  }

  private static int unusedPort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * The application's data source (the real pool), recording each connection taken on a thread that
   * is serving a health request.
   */
  @TestConfiguration
  static class CountingDataSource {
    static final ThreadLocal<Boolean> healthCaller = new ThreadLocal<>();
    static final Set<String> connectionsForHealth = ConcurrentHashMap.newKeySet();

    @Bean
    static BeanPostProcessor countConnectionsOfHealthRequests() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (!(bean instanceof DataSource dataSource)) {
            return bean;
          }
          return Proxy.newProxyInstance(
              DataSource.class.getClassLoader(),
              new Class<?>[] {DataSource.class},
              (proxy, method, args) -> {
                if (method.getName().equals("getConnection")
                    && Boolean.TRUE.equals(healthCaller.get())) {
                  connectionsForHealth.add(Thread.currentThread().toString());
                }
                try {
                  return method.invoke(dataSource, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
        }
      };
    }
  }
}
