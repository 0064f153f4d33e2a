package io.paybridge.platform.operations.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {

  private final ReplayFilter filter = new ReplayFilter("billing-service");

  private static ConsumerRecord<Object, Object> record(String replayFor) {
    var record = new ConsumerRecord<Object, Object>("gocardless.payments", 0, 1, "PM1", "{}");
    if (replayFor != null) {
      record.headers().add(DeadLetters.REPLAY_FOR, replayFor.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  @Test
  void discardsOnlyReplaysMeantForAnotherGroup() {
    assertThat(filter.filter(record("notification-service"))).isTrue();
    assertThat(filter.filter(record("billing-service"))).isFalse();
    assertThat(filter.filter(record(null))).isFalse();
  }

  @Test
  void aBatchKeepsItsOwnRecordsInOrder() {
    var own = record("billing-service");
    var plain = record(null);
    assertThat(filter.filterBatch(List.of(own, record("oauth-service"), plain)))
        .containsExactly(own, plain);
    assertThat(filter.ignoreEmptyBatch()).isTrue();
  }
}
