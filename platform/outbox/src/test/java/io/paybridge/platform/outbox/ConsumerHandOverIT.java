package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * Two instances of a service consume one topic as static members of one group ({@code
 * paybridge.consumer.instance-id}), each in a process of its own. One is stopped as an orchestrator
 * stops a pod in a rolling update (SIGTERM): its partitions go to the other at once, not when its
 * session runs out, because its members are taken out of the group as its consumers close ({@link
 * StaticMemberLeave}), which Kafka does not do for static members. The session here is two minutes,
 * so that a member that stopped without leaving would hold its partitions through the whole test.
 */
@IntegrationTest
class ConsumerHandOverIT {

  private static final Duration SESSION = Duration.ofMinutes(2);

  /** Well inside {@link #SESSION}: how long the other instance has to apply each event. */
  private static final Duration HAND_OVER = Duration.ofSeconds(45);

  @Value("${spring.datasource.url}")
  String jdbcUrl;

  @Test
  void anInstanceStoppedWithSigtermHandsItsPartitionsToTheOtherWithoutWaitingForItsSession()
      throws Exception {
    var kafka = EmbeddedKafkaServer.shared();
    String run = UUID.randomUUID().toString();
    String topic = "test.hand-over-" + run;
    String group = "hand-over-" + run;
    kafka.createTopics(topic);
    var leaving =
        ConsumerHost.start(jdbcUrl, log(run, "leaving"), instance("leaving", topic, group));
    ConsumerHost staying = null;
    try (var admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      staying = ConsumerHost.start(jdbcUrl, log(run, "staying"), instance("staying", topic, group));
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptionsInstanceOf(ExecutionException.class) // no group before a member joins
          .until(() -> eachHoldsPartitions(describe(admin, group), Set.of("leaving", "staying")));
      Set<Integer> handedOver = partitionsOf(describe(admin, group), "leaving");

      var status = leaving.terminate(Duration.ofSeconds(60));
      assertThat(status).as("the stopped instance ended by itself").isPresent();
      assertThat(status.getAsInt()).as("its exit status after SIGTERM").isEqualTo(143);

      var applied = new ArrayList<String>();
      for (int partition : handedOver) {
        TestEvents.send(topic, partition, run + "-" + partition, "K", "1", null);
        applied.add("APPLIED " + run + "-" + partition);
      }
      assertThat(staying.awaitLines(applied, HAND_OVER))
          .as(
              "the events on partitions %s, the stopped instance's, applied by the other",
              handedOver)
          .isTrue();
      assertThat(describe(admin, group).members())
          .as("the group's members after the hand-over")
          .extracting(m -> m.groupInstanceId().orElse("(dynamic)"))
          .isNotEmpty()
          .allMatch(name -> name.startsWith("staying-"));
    } finally {
      leaving.kill();
      if (staying != null) {
        staying.kill();
      }
    }
  }

  /** A consumer host named {@code name} (its static members' prefix) in {@code group}. */
  private static List<String> instance(String name, String topic, String group) {
    return List.of(
        "--topic=" + topic,
        "--group=" + group,
        "--paybridge.consumer.instance-id=" + name,
        "--spring.kafka.consumer.properties.session.timeout.ms=" + SESSION.toMillis());
  }

  private static ConsumerGroupDescription describe(Admin admin, String group) throws Exception {
    return admin
        .describeConsumerGroups(List.of(group))
        .describedGroups()
        .get(group)
        .get(10, TimeUnit.SECONDS);
  }

  /** Stable, and each instance named holds at least one partition. */
  private static boolean eachHoldsPartitions(ConsumerGroupDescription group, Set<String> names) {
    return group.groupState() == GroupState.STABLE
        && names.stream().allMatch(name -> !partitionsOf(group, name).isEmpty());
  }

  private static Set<Integer> partitionsOf(ConsumerGroupDescription group, String name) {
    return group.members().stream()
        .filter(m -> m.groupInstanceId().orElse("").startsWith(name + "-"))
        .map(MemberDescription::assignment)
        .flatMap(a -> a.topicPartitions().stream())
        .map(TopicPartition::partition)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  private static Path log(String run, String which) {
    return Path.of("target", "consumer-host-hand-over-" + run + "-" + which + ".log");
  }
}
