package io.paybridge.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.notifications.DeliveryEvent;
import io.paybridge.platform.events.notifications.DeliveryEvent.DeliveryFailed;
import io.paybridge.platform.events.notifications.DeliveryEvent.DeliverySucceeded;
import io.paybridge.platform.events.notifications.DeliveryEvent.EndpointDisabled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Pins the wire contract of notifications.delivery: golden JSON per event, type, key, headers. */
class DeliveryEventsContractTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant AT = Instant.parse("2026-03-02T10:15:47.578Z");
  private static final String ENDPOINT = "8a7c1d2e-4b5f-4c6d-9e0f-1a2b3c4d5e6f";

  static final Map<String, DeliveryEvent> EXAMPLES =
      Map.of(
          "DeliverySucceeded",
          new DeliverySucceeded(
              "0b9e6f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
              ENDPOINT,
              "team-a",
              "5c4b3a29-1807-4f6e-9d8c-7b6a59483726",
              "PaymentFailed",
              "webhook",
              1,
              204,
              AT),
          "DeliveryFailed",
          new DeliveryFailed(
              "0b9e6f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
              ENDPOINT,
              "team-a",
              "5c4b3a29-1807-4f6e-9d8c-7b6a59483726",
              "PaymentFailed",
              "webhook",
              8,
              "http_error",
              503,
              AT),
          "EndpointDisabled",
          new EndpointDisabled(
              ENDPOINT, "team-a", "failing", Instant.parse("2026-02-25T10:15:47.578Z"), AT));

  @Test
  void everyEventTypeHasAnExampleHere() {
    assertThat(EXAMPLES.values().stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrder(DeliveryEvent.class.getPermittedSubclasses());
  }

  @Test
  void eachEventMatchesItsGoldenFileAndEnvelope() throws IOException {
    for (var example : EXAMPLES.entrySet()) {
      var outbox = example.getValue().toOutboxEvent(JSON.writeValueAsString(example.getValue()));
      assertThat(outbox.type()).isEqualTo(example.getKey());
      assertThat(outbox.topic()).isEqualTo("notifications.delivery");
      assertThat(outbox.key()).isEqualTo(ENDPOINT);
      assertThat(outbox.tenant()).isEqualTo("team-a");
      assertThat(JSON.readTree(outbox.payload()))
          .as(example.getKey())
          .isEqualTo(JSON.readTree(golden(example.getKey())));
    }
  }

  @Test
  void noEventHasAFieldThatCouldCarryASecretOrABody() {
    for (Class<?> type : DeliveryEvent.class.getPermittedSubclasses()) {
      assertThat(Arrays.stream(type.getRecordComponents()).map(c -> c.getName().toLowerCase()))
          .noneMatch(
              n ->
                  n.contains("secret")
                      || n.contains("body")
                      || n.contains("url")
                      || n.contains("token"));
    }
  }

  private static String golden(String type) throws IOException {
    try (InputStream in =
        DeliveryEventsContractTest.class.getResourceAsStream("/contracts/" + type + ".json")) {
      assertThat(in).as("golden file contracts/%s.json", type).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
