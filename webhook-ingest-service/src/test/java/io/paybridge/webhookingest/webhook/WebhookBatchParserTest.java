package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.example;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class WebhookBatchParserTest {

  private final JsonMapper mapper = JsonMapper.builder().build();
  private final WebhookBatchParser parser = new WebhookBatchParser(mapper);

  @Test
  void slicesEachEventFromTheBodyAsSentAndReadsItsRoutingFacts() {
    byte[] body = example("03_webhook_partner_multi_event.json");
    var parsed = batch(body);
    var events = parsed.routable();

    assertThat(parsed.webhookId()).isEqualTo("WB0031BP85JJTT");
    assertThat(parsed.rejected()).isEmpty();
    assertThat(events)
        .extracting(GoCardlessEvent::id)
        .containsExactly(
            "EV01PZ44SPF2SM",
            "EV01PZ456CHC2S",
            "EV01PZ457QWE12",
            "EV01PZ458ZZX99",
            "EV01PZ4A0MNB77");
    String text = new String(body, StandardCharsets.UTF_8);
    for (var event : events) {
      assertThat(text).contains(event.json());
      assertThat(mapper.readTree(event.json()).path("id").asString()).isEqualTo(event.id());
    }
    var fulfilled = events.get(1);
    assertThat(fulfilled.eventType()).isEqualTo("billing_requests.fulfilled");
    assertThat(fulfilled.resourceId()).isEqualTo("BRQ0006T4Y5J9D3");
    assertThat(fulfilled.organisationId()).isEqualTo("OR00004YQ27G22");
    assertThat(fulfilled.occurredAt()).isEqualTo(Instant.parse("2026-03-02T10:15:50.470Z"));
    assertThat(events.get(4).resourceId()).isEqualTo("CR000070S65B1S");
  }

  @Test
  void keepsThePrettyPrintedLayoutOfAnEventByteForByte() {
    byte[] body = example("05_webhook_payment_failed.json");
    var events = batch(body).routable();
    var failed = events.getFirst();
    assertThat(failed.json()).startsWith("{\n      \"id\": \"EV0123FAIL0001\"").endsWith("}");
    assertThat(new String(body, StandardCharsets.UTF_8)).contains(failed.json());
    assertThat(events).hasSize(3);
    assertThat(events.get(2).resourceId()).isEqualTo("MD0018BF1WAW3B");
  }

  @Test
  void givesAnEventWithANullIdTheSameSyntheticIdEveryTime() {
    byte[] body = example("04_webhook_organisation_disconnected.json");
    var first = batch(body).routable().getFirst();
    var again = batch(body).routable().getFirst();

    assertThat(first.syntheticId()).isTrue();
    assertThat(first.id()).startsWith("synthetic-").isEqualTo(again.id());
    assertThat(first.resourceId()).isEqualTo("OR00004YQ27G22");
    String otherOrganisation =
        new String(body, StandardCharsets.UTF_8).replace("OR00004YQ27G22", "OR00009ZZZZZZZ");
    assertThat(batch(otherOrganisation.getBytes(StandardCharsets.UTF_8)).routable().getFirst().id())
        .isNotEqualTo(first.id());
  }

  @Test
  void givesTheDisconnectExampleTheSyntheticIdOfTheContract() {
    // sha256("organisations\ndisconnected\n2021-07-02T11:04:23.357Z\norganisation=OR00004YQ27G22"),
    // first 16 bytes, computed with sha256sum outside this code base
    var event = batch(example("04_webhook_organisation_disconnected.json")).routable().getFirst();
    assertThat(event.id()).isEqualTo("synthetic-f7ec73b77afa3f19818209591303c76f");
  }

  @Test
  void quarantinesAnIdThatGoCardlessDoesNotIssue() {
    for (String id : new String[] {"ev0123", "PM0123", "EV01-23", "synthetic-" + "0".repeat(32)}) {
      String body =
          "{\"events\": [{\"id\": \""
              + id
              + "\", \"resource_type\": \"payments\", \"action\": \"created\"}]}";
      var parsed = batch(body.getBytes(StandardCharsets.UTF_8));
      assertThat(parsed.routable()).as(id).isEmpty();
      assertThat(parsed.rejected())
          .as(id)
          .singleElement()
          .extracting(r -> r.reason().tag() + " " + r.eventId())
          .isEqualTo("invalid_id " + id);
    }
  }

  @Test
  void reportsABodyThatIsNotAGoCardlessWebhookWithoutThrowing() {
    for (String body :
        new String[] {
          "", "[]", "{\"events\": 1}", "{\"meta\": {}}", "{\"events\": []}x", "{\"events\": [{]}"
        }) {
      assertThat(parser.parse(body.getBytes(StandardCharsets.UTF_8)))
          .as(body)
          .isInstanceOf(ParsedBody.Malformed.class);
    }
    assertThat(parser.parse(new byte[] {'{', '"', 'e', '"', ':', (byte) 0xC3, '}'}))
        .isEqualTo(new ParsedBody.Malformed("The body is not UTF-8"));
  }

  @Test
  void setsApartEachEventThatCannotBeRoutedWithItsReasonAndKeepsTheOthers() {
    String good =
        "{\"id\": \"EV1\", \"resource_type\": \"payments\", \"action\": \"created\","
            + " \"links\": {\"payment\": \"\", \"organisation\": \"OR1\"}}";
    String body =
        "{\"events\": [1, {\"id\": \"EV2\", \"action\": \"created\"}, "
            + good
            + ", {\"id\": \"EV3\", \"resource_type\": \"payments\"},"
            + " {\"id\": 7, \"resource_type\": \"payments\", \"action\": \"created\"},"
            + " {\"id\": \""
            + "E".repeat(65)
            + "\", \"resource_type\": \"payments\", \"action\": \"created\"},"
            + " {\"id\": \"EV\\u0000\", \"resource_type\": \"payments\", \"action\": \"created\"},"
            + " \"text\"]}";
    var parsed = batch(body.getBytes(StandardCharsets.UTF_8));

    assertThat(parsed.routable()).extracting(GoCardlessEvent::id).containsExactly("EV1");
    // A blank link is no key: the organisation is.
    assertThat(parsed.routable().getFirst().resourceId()).isEqualTo("OR1");
    assertThat(parsed.routable().getFirst().json()).isEqualTo(good);
    assertThat(parsed.rejected())
        .extracting(r -> r.index() + " " + r.reason().tag() + " " + r.eventId())
        .containsExactly(
            "0 not_an_object null",
            "1 missing_resource_type EV2",
            "3 missing_action EV3",
            "4 invalid_id null",
            "5 id_too_long " + "E".repeat(65),
            "6 nul_character null",
            "7 not_an_object null");
    assertThat(parsed.rejected().getFirst().json()).isEqualTo("1");
    assertThat(parsed.rejected().getLast().json()).isEqualTo("\"text\"");
    assertThat(parsed.rejected().get(1).json())
        .isEqualTo("{\"id\": \"EV2\", \"action\": \"created\"}");
  }

  @Test
  void readsAPropertyOfAnObjectAsWritten() {
    String json = "{\"reason\": \"x\", \"corrected\": {\"a\" : [1, 2]}, \"z\": null}";
    assertThat(parser.rawProperty(json, "corrected")).isEqualTo("{\"a\" : [1, 2]}");
    assertThat(parser.rawProperty(json, "reason")).isEqualTo("\"x\"");
    assertThat(parser.rawProperty(json, "z")).isNull();
    assertThat(parser.rawProperty(json, "missing")).isNull();
  }

  @Test
  void acceptsAnEmptyBatchAndIgnoresUnknownTopLevelFields() {
    var batch =
        batch(
            "{\"future\": {\"x\": [1]}, \"events\": [], \"meta\": {\"webhook_id\": \"WB1\", \"n\": 2}}"
                .getBytes());
    assertThat(batch.events()).isEmpty();
    assertThat(batch.webhookId()).isEqualTo("WB1");
  }

  private ParsedBody.Batch batch(byte[] body) {
    var parsed = parser.parse(body);
    assertThat(parsed).isInstanceOf(ParsedBody.Batch.class);
    return (ParsedBody.Batch) parsed;
  }
}
