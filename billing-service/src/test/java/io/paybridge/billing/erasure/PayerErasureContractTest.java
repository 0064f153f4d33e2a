package io.paybridge.billing.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.payers.PayerErasureEvent;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureApplied;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.testsupport.AsyncApiContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Pins the wire contract of payers.erasure: golden JSON per event, type, key, headers. */
class PayerErasureContractTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String REQUEST = "0b6f2c1e-5a3d-4c8e-9f10-2a7b3c4d5e6f";
  private static final AsyncApiContract CONTRACT =
      AsyncApiContract.load(Path.of("../docs/asyncapi.yaml"));

  static final Map<String, PayerErasureEvent> EXAMPLES =
      Map.of(
          "PayerErasureRequested",
          new PayerErasureRequested(
              REQUEST,
              "CU000123ABCDEF",
              "erased-0123456789abcdef0123456789abcdef",
              List.of("BRQ000010FAKE1", "MD000ANZ2QXBPH", "PM000ABCD12345"),
              "ops-console",
              Instant.parse("2026-03-02T10:15:47.578Z")),
          "PayerErasureApplied",
          new PayerErasureApplied(
              REQUEST, "billing-service", 4, Instant.parse("2026-03-02T10:15:49.001Z")));

  @Test
  void everyEventTypeHasAnExampleHere() {
    assertThat(EXAMPLES.values().stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrder(PayerErasureEvent.class.getPermittedSubclasses());
  }

  @Test
  void eachEventMatchesItsGoldenFileEnvelopeAndDocument() throws IOException {
    for (var example : EXAMPLES.entrySet()) {
      String type = example.getKey();
      var outbox = example.getValue().toOutboxEvent(JSON.writeValueAsString(example.getValue()));

      assertThat(outbox.type()).isEqualTo(type);
      assertThat(outbox.topic()).isEqualTo("payers.erasure");
      assertThat(outbox.key()).isEqualTo(REQUEST);
      assertThat(outbox.tenant()).isNull();
      assertThat(JSON.readTree(outbox.payload())).as(type).isEqualTo(JSON.readTree(golden(type)));
      var headers =
          Map.of(
              "id", outbox.id(),
              "eventType", type,
              "createdAt", "2026-03-02T10:15:49.001Z",
              "ce_id", outbox.id(),
              "ce_type", type,
              "ce_source", "/paybridge/billing-service",
              "ce_specversion", "1.0",
              "ce_time", "2026-03-02T10:15:49.001Z",
              "content-type", "application/json");
      assertThat(CONTRACT.violations("payers.erasure", headers, outbox.payload()))
          .as(type)
          .isEmpty();
    }
  }

  private static String golden(String type) throws IOException {
    try (InputStream in =
        PayerErasureContractTest.class.getResourceAsStream("/contracts/" + type + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
