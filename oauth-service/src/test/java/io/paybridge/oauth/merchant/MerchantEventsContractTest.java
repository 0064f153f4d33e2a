package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.merchants.MerchantConnectionEvent;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantDisconnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantVerificationChanged;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Pins the wire contract of merchants.connection: golden JSON per event, type, key, headers. */
class MerchantEventsContractTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant AT = Instant.parse("2026-03-02T10:15:47.578Z");

  /** One example per event, by its wire type (the name of its golden file). */
  static final Map<String, MerchantConnectionEvent> EXAMPLES =
      Map.of(
          "MerchantConnected",
          new MerchantConnected(
              "3f1c2a4e-8d4b-4a51-9c39-2f0c1b7e5d10",
              "team-a",
              "OR00004YQ27G22",
              "CR000070S65B1S",
              "action_required",
              AT),
          "MerchantVerificationChanged",
          new MerchantVerificationChanged(
              "3f1c2a4e-8d4b-4a51-9c39-2f0c1b7e5d10",
              "team-a",
              "OR00004YQ27G22",
              "CR000070S65B1S",
              "in_review",
              "action_required",
              "https://verify-sandbox.gocardless.com",
              AT),
          "MerchantDisconnected",
          new MerchantDisconnected(
              "3f1c2a4e-8d4b-4a51-9c39-2f0c1b7e5d10",
              "team-a",
              "OR00004YQ27G22",
              "revoked_by_merchant",
              AT));

  @Test
  void everyEventTypeHasAnExampleHere() {
    assertThat(EXAMPLES.values().stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrder(MerchantConnectionEvent.class.getPermittedSubclasses());
  }

  @Test
  void eachEventMatchesItsGoldenFileAndEnvelope() throws IOException {
    for (var example : EXAMPLES.entrySet()) {
      String type = example.getKey();
      MerchantConnectionEvent event = example.getValue();
      var outbox = event.toOutboxEvent(JSON.writeValueAsString(event));

      assertThat(outbox.type()).isEqualTo(type);
      assertThat(outbox.topic()).isEqualTo("merchants.connection");
      assertThat(outbox.key()).isEqualTo("3f1c2a4e-8d4b-4a51-9c39-2f0c1b7e5d10");
      assertThat(outbox.tenant()).isEqualTo("team-a");
      assertThat(outbox.organisationId()).isEqualTo("OR00004YQ27G22");
      assertThat(JSON.readTree(outbox.payload())).as(type).isEqualTo(JSON.readTree(golden(type)));
    }
  }

  @Test
  void noEventHasAFieldThatCouldCarryAToken() {
    for (Class<?> type : MerchantConnectionEvent.class.getPermittedSubclasses()) {
      assertThat(Arrays.stream(type.getRecordComponents()).map(c -> c.getName().toLowerCase()))
          .noneMatch(name -> name.contains("token") || name.contains("secret"));
    }
  }

  private static String golden(String type) throws IOException {
    try (InputStream in =
        MerchantEventsContractTest.class.getResourceAsStream("/contracts/" + type + ".json")) {
      assertThat(in).as("golden file contracts/%s.json", type).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
