package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class WebhookBatchParserTest {

  private final JsonMapper mapper = JsonMapper.builder().build();
  private final WebhookBatchParser parser = new WebhookBatchParser(mapper);

  @Test
  void slicesEachEventFromTheBodyAsSentAndReadsItsRoutingFacts() {
    byte[] body = example("03_webhook_partner_multi_event.json");
    var batch = parser.parse(body);

    assertThat(batch.webhookId()).isEqualTo("WB0031BP85JJTT");
    assertThat(batch.events())
        .extracting(GoCardlessEvent::id)
        .containsExactly(
            "EV01PZ44SPF2SM",
            "EV01PZ456CHC2S",
            "EV01PZ457QWE12",
            "EV01PZ458ZZX99",
            "EV01PZ4A0MNB77");
    String text = new String(body, StandardCharsets.UTF_8);
    for (var event : batch.events()) {
      assertThat(text).contains(event.json());
      assertThat(mapper.readTree(event.json()).path("id").asString()).isEqualTo(event.id());
    }
    var fulfilled = batch.events().get(1);
    assertThat(fulfilled.eventType()).isEqualTo("billing_requests.fulfilled");
    assertThat(fulfilled.resourceId()).isEqualTo("BRQ0006T4Y5J9D3");
    assertThat(fulfilled.organisationId()).isEqualTo("OR00004YQ27G22");
    assertThat(fulfilled.occurredAt()).isEqualTo(Instant.parse("2026-03-02T10:15:50.470Z"));
    assertThat(batch.events().get(4).resourceId()).isEqualTo("CR000070S65B1S");
  }

  @Test
  void keepsThePrettyPrintedLayoutOfAnEventByteForByte() {
    byte[] body = example("05_webhook_payment_failed.json");
    var batch = parser.parse(body);
    var failed = batch.events().getFirst();
    assertThat(failed.json()).startsWith("{\n      \"id\": \"EV0123FAIL0001\"").endsWith("}");
    assertThat(new String(body, StandardCharsets.UTF_8)).contains(failed.json());
    assertThat(batch.events()).hasSize(3);
    assertThat(batch.events().get(2).resourceId()).isEqualTo("MD0018BF1WAW3B");
  }

  @Test
  void givesAnEventWithANullIdTheSameSyntheticIdEveryTime() {
    byte[] body = example("04_webhook_organisation_disconnected.json");
    var first = parser.parse(body).events().getFirst();
    var again = parser.parse(body).events().getFirst();

    assertThat(first.syntheticId()).isTrue();
    assertThat(first.id()).startsWith("synthetic-").isEqualTo(again.id());
    assertThat(first.resourceId()).isEqualTo("OR00004YQ27G22");
    String otherOrganisation =
        new String(body, StandardCharsets.UTF_8).replace("OR00004YQ27G22", "OR00009ZZZZZZZ");
    assertThat(
            parser
                .parse(otherOrganisation.getBytes(StandardCharsets.UTF_8))
                .events()
                .getFirst()
                .id())
        .isNotEqualTo(first.id());
  }

  @Test
  void derivesSyntheticIdsFromTheEventsIdentityOnly() {
    Map<String, String> links = new TreeMap<>(Map.of("organisation", "OR1"));
    String id =
        WebhookBatchParser.syntheticId(
            "organisations", "disconnected", "2021-07-02T11:04:23.357Z", links);
    assertThat(id).matches("synthetic-[0-9a-f]{32}");
    assertThat(
            WebhookBatchParser.syntheticId(
                "organisations", "disconnected", "2021-07-02T11:04:23.358Z", links))
        .isNotEqualTo(id);
  }

  @Test
  void findsTheResourceLinkOfEachResourceType() {
    assertThat(WebhookBatchParser.singular("payments")).isEqualTo("payment");
    assertThat(WebhookBatchParser.singular("billing_requests")).isEqualTo("billing_request");
    assertThat(WebhookBatchParser.singular("instalment_schedules"))
        .isEqualTo("instalment_schedule");
  }

  @Test
  void refusesWhatIsNotAGoCardlessWebhook() {
    for (String body :
        new String[] {
          "",
          "[]",
          "{\"events\": 1}",
          "{\"events\": [1]}",
          "{\"events\": [{\"action\": \"created\"}]}",
          "{\"events\": [{\"resource_type\": \"payments\"}]}",
          "{\"meta\": {}}",
          "{\"events\": []}x",
          "{\"events\": [{]}"
        }) {
      assertThatThrownBy(() -> parser.parse(body.getBytes(StandardCharsets.UTF_8)))
          .as(body)
          .isInstanceOf(InvalidWebhookException.class);
    }
  }

  @Test
  void acceptsAnEmptyBatchAndIgnoresUnknownTopLevelFields() {
    var batch =
        parser.parse(
            "{\"future\": {\"x\": [1]}, \"events\": [], \"meta\": {\"webhook_id\": \"WB1\", \"n\": 2}}"
                .getBytes());
    assertThat(batch.events()).isEmpty();
    assertThat(batch.webhookId()).isEqualTo("WB1");
  }
}
