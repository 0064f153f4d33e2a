package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Static members' names in what Kafka accepts: ASCII letters and digits, '.', '_' and '-'. */
class StaticMembershipTest {

  @Test
  void springsGeneratedListenerIdsBecomeListenerN() {
    assertThat(
            StaticMembership.memberName(
                "notification-service-7d4b9c6f5-x2k8q",
                "org.springframework.kafka.KafkaListenerEndpointContainer#2"))
        .isEqualTo("notification-service-7d4b9c6f5-x2k8q-listener-2");
  }

  @Test
  void charactersKafkaRefusesBecomeUnderscores() {
    assertThat(StaticMembership.memberName("host:8080", "facts#1 (batch)"))
        .isEqualTo("host_8080-facts_1__batch_");
  }

  @Test
  void namedListenersKeepTheirIds() {
    assertThat(StaticMembership.memberName("billing.2", "payment-facts"))
        .isEqualTo("billing.2-payment-facts");
  }
}
