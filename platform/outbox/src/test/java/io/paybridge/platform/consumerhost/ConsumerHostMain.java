package io.paybridge.platform.consumerhost;

import io.paybridge.platform.outbox.IdempotentConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * A process that runs one idempotent consumer and nothing else, for tests that kill it between its
 * database commit and its offset commit, or stop it while another instance waits for its partitions
 * ({@code --topic} and {@code --group} name others than the defaults). It appends a {@code
 * test_ledger} row per applied event (an effect that would double) and prints {@code APPLIED <id>}
 * or {@code DUPLICATE <id>} once the event's transaction has ended. For the event named by {@code
 * --hang-after}, it then blocks inside the listener, so the record's offset is never committed. (A
 * package of its own, so that the outbox tests' application does not scan it in.)
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(ConsumerHostMain.CrashOrdersListener.class)
public class ConsumerHostMain {

  /** The topic, unless {@code --topic} names another. */
  public static final String TOPIC = "test.crash-orders";

  /** The group, unless {@code --group} names another. */
  static final String GROUP = "outbox-crash-test";

  public static void main(String[] args) {
    SpringApplication.run(ConsumerHostMain.class, args);
  }

  static class CrashOrdersListener {
    private final IdempotentConsumer idempotentConsumer;
    private final JdbcTemplate jdbc;
    private final String hangAfter;
    private final String group;

    CrashOrdersListener(
        IdempotentConsumer idempotentConsumer,
        JdbcTemplate jdbc,
        @Value("${hang-after:}") String hangAfter,
        @Value("${group:" + GROUP + "}") String group) {
      this.idempotentConsumer = idempotentConsumer;
      this.jdbc = jdbc;
      this.hangAfter = hangAfter;
      this.group = group;
    }

    @KafkaListener(topics = "${topic:" + TOPIC + "}", groupId = "${group:" + GROUP + "}")
    void onOrder(ConsumerRecord<String, String> record) throws InterruptedException {
      String eventId = IdempotentConsumer.eventId(record);
      boolean applied =
          idempotentConsumer.apply(
              group,
              eventId,
              () ->
                  jdbc.update(
                      "insert into test_ledger (event_id, amount) values (?, ?)",
                      eventId,
                      Integer.parseInt(record.value())));
      System.out.println((applied ? "APPLIED " : "DUPLICATE ") + eventId);
      System.out.flush();
      if (eventId.equals(hangAfter)) {
        Thread.sleep(Long.MAX_VALUE); // committed in the database, never on Kafka: until killed
      }
    }
  }
}
