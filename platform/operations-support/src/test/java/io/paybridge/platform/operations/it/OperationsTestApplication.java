package io.paybridge.platform.operations.it;

import io.paybridge.platform.operations.OperationsAccess;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import io.paybridge.platform.web.security.ResourceServerChains;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;

/**
 * A minimal service: it adds each {@code test.payments} record's amount to {@code test_balance}
 * through the {@link IdempotentConsumer}; while {@link PaymentsListener#broken} is set, records
 * whose value starts with {@code "fragile"} are poison (a bug that a fix removes).
 */
@SpringBootApplication
class OperationsTestApplication {

  static final String PAYMENTS = "test.payments";

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    return ResourceServerChains.stateless(
            http,
            (request, response, e) -> response.sendError(401),
            (request, response, e) -> response.sendError(403))
        .authorizeHttpRequests(
            auth ->
                OperationsAccess.rules(auth)
                    .requestMatchers(HttpMethod.GET, "/operations/**")
                    .denyAll()
                    .anyRequest()
                    .denyAll())
        .build();
  }

  @Component
  static class PaymentsListener {
    final AtomicBoolean broken = new AtomicBoolean(true);
    private final IdempotentConsumer idempotentConsumer;
    private final JdbcTemplate jdbc;

    PaymentsListener(IdempotentConsumer idempotentConsumer, JdbcTemplate jdbc) {
      this.idempotentConsumer = idempotentConsumer;
      this.jdbc = jdbc;
    }

    /** Value {@code [fragile:]<account>:<amount>}. */
    @KafkaListener(topics = PAYMENTS)
    void onPayment(ConsumerRecord<String, String> record) {
      String eventId = IdempotentConsumer.eventId(record);
      String value = record.value();
      if (value.startsWith("fragile:")) {
        if (broken.get()) {
          throw new PoisonMessageException("cannot read payment " + eventId);
        }
        value = value.substring("fragile:".length());
      }
      String[] parts = value.split(":");
      idempotentConsumer.apply(
          "operations-test",
          eventId,
          () ->
              jdbc.update(
                  "insert into test_balance (account, total) values (?, ?)"
                      + " on conflict (account) do update set total = test_balance.total + excluded.total",
                  parts[0],
                  Long.parseLong(parts[1])));
    }
  }
}
