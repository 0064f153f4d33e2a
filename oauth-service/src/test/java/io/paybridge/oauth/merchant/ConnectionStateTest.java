package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paybridge.oauth.merchant.ConnectionState.Refusal;
import io.paybridge.oauth.merchant.ConnectionState.Refused;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConnectionStateTest {

  private static final String KEY =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  private final ConnectionState states = new ConnectionState(KEY);

  @Test
  void aStateCarriesItsConnectionTeamExpiryAndTheHashOfItsNonce() {
    Instant expiry = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    var issued = states.issue("merchant-1", "team-a", expiry);

    var claims = states.verify(issued.state());

    assertThat(claims.merchantId()).isEqualTo("merchant-1");
    assertThat(claims.team()).isEqualTo("team-a");
    assertThat(claims.expiresAt()).isEqualTo(expiry);
    assertThat(ConnectionState.sameHash(claims.nonceHash(), issued.nonceHash())).isTrue();
    assertThat(issued.state()).doesNotContain(issued.nonceHash());
  }

  @Test
  void twoStatesForTheSameConnectionDiffer() {
    Instant expiry = Instant.now().plusSeconds(600);
    assertThat(states.issue("m", "t", expiry).state())
        .isNotEqualTo(states.issue("m", "t", expiry).state());
  }

  @Test
  void refusesChangedPayloadsForeignKeysAndGarbage() {
    String state = states.issue("merchant-1", "team-a", Instant.now().plusSeconds(600)).state();
    String payload = state.substring(0, state.indexOf('.'));
    String signature = state.substring(state.indexOf('.'));
    String otherPayload =
        states.issue("merchant-2", "team-b", Instant.now().plusSeconds(600)).state();
    String swapped = otherPayload.substring(0, otherPayload.indexOf('.')) + signature;
    var other =
        new ConnectionState(
            Base64.getEncoder().encodeToString("another-environment-key-32-bytes!".getBytes()));

    assertRefused(swapped, Refusal.FORGED);
    assertRefused(
        other.issue("merchant-1", "team-a", Instant.now().plusSeconds(600)).state(),
        Refusal.FORGED);
    assertRefused(payload, Refusal.MALFORMED);
    assertRefused("", Refusal.MALFORMED);
    assertRefused(null, Refusal.MALFORMED);
    assertRefused("x".repeat(2000), Refusal.MALFORMED);
  }

  @Test
  void refusesWeakKeys() {
    assertThatThrownBy(() -> new ConnectionState(null)).hasMessageContaining("not set");
    assertThatThrownBy(() -> new ConnectionState("c2hvcnQ=")).hasMessageContaining("32 bytes");
  }

  private void assertRefused(String state, Refusal refusal) {
    assertThatThrownBy(() -> states.verify(state))
        .isInstanceOfSatisfying(Refused.class, e -> assertThat(e.refusal).isEqualTo(refusal));
  }
}
