package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RelayStateTest {

  private static final Duration RECENT = Duration.ofMillis(400);
  private static final Duration STALL = Duration.ofSeconds(1);

  @Test
  void aRelayThatCaughtUpLongAgoIsNotBehind() {
    var state = leading();
    state.relayed(10, Instant.now().minusSeconds(5), Duration.ofMillis(900));
    assertThat(state.publishingLag(Instant.now(), RECENT)).isZero();
    assertThat(state.publishing(Instant.now(), STALL)).isTrue();
  }

  @Test
  void theLagOfARecentBatchCounts() {
    var state = leading();
    state.relayed(10, Instant.now(), Duration.ofMillis(900));
    assertThat(state.publishingLag(Instant.now(), RECENT)).isEqualTo(Duration.ofMillis(900));
  }

  @Test
  void aBatchThatWaitedBeforeItsTransactionCountsButNotTheTransactionItself() throws Exception {
    var state = leading();
    state.sending(Instant.now().minusMillis(700));
    Thread.sleep(50);
    Duration lag = state.publishingLag(Instant.now().plusSeconds(20), RECENT);
    // About 700 ms waited before the transaction began; the 20 s it has been open are left out.
    assertThat(lag).isBetween(Duration.ofMillis(690), Duration.ofMillis(900));
  }

  @Test
  void aTransactionOpenLongerThanTheStallBoundIsNotPublishing() {
    var state = leading();
    state.sending(Instant.now());
    assertThat(state.publishing(Instant.now(), STALL)).isTrue();
    assertThat(state.publishing(Instant.now().plus(STALL).plusMillis(100), STALL)).isFalse();
  }

  @Test
  void failingStandingByOrRefusingIsNotPublishing() {
    var failing = leading();
    failing.publishingFailed(new IllegalStateException("Kafka down"));
    assertThat(failing.publishing(Instant.now(), STALL)).isFalse();

    var standby = new RelayState();
    standby.role(RelayStatus.Role.STANDBY);
    assertThat(standby.publishing(Instant.now(), STALL)).isFalse();

    var refusing = leading();
    refusing.recordRefused("record_too_large", "event EV1 too large");
    assertThat(refusing.publishing(Instant.now(), STALL)).isFalse();
  }

  private static RelayState leading() {
    var state = new RelayState();
    state.role(RelayStatus.Role.LEADER);
    state.streaming(true);
    return state;
  }
}
