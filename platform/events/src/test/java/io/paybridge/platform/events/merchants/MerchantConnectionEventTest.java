package io.paybridge.platform.events.merchants;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantDisconnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantVerificationChanged;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The record of each merchants.connection fact. The JSON of each is pinned by golden files where it
 * is serialised (oauth-service, MerchantEventsContractTest).
 */
class MerchantConnectionEventTest {

  private static final Instant AT = Instant.parse("2026-03-02T10:15:47.578Z");
  private static final String MERCHANT = "3f1c2a4e-8d4b-4a51-9c39-2f0c1b7e5d10";

  private static final Map<String, MerchantConnectionEvent> BY_TYPE =
      Map.of(
          "MerchantConnected",
          new MerchantConnected(MERCHANT, "team-a", "OR1", "CR1", "successful", AT),
          "MerchantVerificationChanged",
          new MerchantVerificationChanged(
              MERCHANT, "team-a", "OR1", "CR1", "in_review", "successful", null, AT),
          "MerchantDisconnected",
          new MerchantDisconnected(MERCHANT, "team-a", "OR1", "revoked_by_merchant", AT));

  @Test
  void everyFactHasAnExampleHere() {
    assertThat(BY_TYPE.values().stream().map(Object::getClass))
        .containsExactlyInAnyOrder(MerchantConnectionEvent.class.getPermittedSubclasses());
  }

  @Test
  void publishesEachFactOnMerchantsConnectionKeyedByMerchantWithItsSimpleNameAsType() {
    BY_TYPE.forEach(
        (type, event) -> {
          var outbox = event.toOutboxEvent("{}");
          assertThat(outbox.topic()).as(type).isEqualTo("merchants.connection");
          assertThat(outbox.key()).as(type).isEqualTo(MERCHANT);
          assertThat(outbox.type()).as(type).isEqualTo(type);
          assertThat(event.eventType()).as(type).isEqualTo(type);
          assertThat(outbox.tenant()).as(type).isEqualTo("team-a");
          assertThat(outbox.organisationId()).as(type).isEqualTo("OR1");
          assertThat(outbox.payload()).as(type).isEqualTo("{}");
          assertThat(outbox.id()).as(type).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
        });
  }

  @Test
  void noFactHasAFieldThatCouldCarryAToken() {
    for (Class<?> type : MerchantConnectionEvent.class.getPermittedSubclasses()) {
      assertThat(Arrays.stream(type.getRecordComponents()).map(c -> c.getName().toLowerCase()))
          .noneMatch(name -> name.contains("token") || name.contains("secret"));
    }
  }
}
