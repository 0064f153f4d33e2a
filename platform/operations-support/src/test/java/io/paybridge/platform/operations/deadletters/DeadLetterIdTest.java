package io.paybridge.platform.operations.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterIdTest {

  @Test
  void readsTheTopicWithItsHyphensThePartitionAndTheOffset() {
    var id =
        DeadLetterId.parse("gocardless.billing-requests.billing-service.dlt-2-1045").orElseThrow();
    assertThat(id.topic()).isEqualTo("gocardless.billing-requests.billing-service.dlt");
    assertThat(id.partition()).isEqualTo(2);
    assertThat(id.offset()).isEqualTo(1045);
    assertThat(id).hasToString("gocardless.billing-requests.billing-service.dlt-2-1045");
  }

  @Test
  void refusesWhatIsNotAnId() {
    assertThat(DeadLetterId.parse(null)).isEmpty();
    assertThat(DeadLetterId.parse("topic-1")).isEmpty();
    assertThat(DeadLetterId.parse("-1-2")).isEmpty();
    assertThat(DeadLetterId.parse("t.dlt-x-2")).isEmpty();
    assertThat(DeadLetterId.parse("t.dlt-0-99999999999999999999")).isEmpty();
  }
}
