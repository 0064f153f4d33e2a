package io.paybridge.webhookingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.AsyncApiContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docs/asyncapi.yaml as a document: it covers every topic that exists, its references resolve, and
 * its header schemas constrain what they describe (records are checked in AsyncApiContractIT here
 * and in oauth-service).
 */
class AsyncApiDocumentTest {

  private static final AsyncApiContract CONTRACT =
      AsyncApiContract.load(Path.of("../docs/asyncapi.yaml"));
  private static final String EVENT =
      "{\"id\":\"EV01PZ44SPF2SM\",\"resource_type\":\"payments\",\"action\":\"confirmed\"}";

  @Test
  void coversEveryTopicThatExistsAndTheDeadLetterTopics() {
    var expected = new ArrayList<>(Topics.gocardlessTopics());
    expected.add(Topics.MERCHANTS_CONNECTION);
    expected.addAll(
        List.of(
            Topics.BILLING_BILLING_REQUEST,
            Topics.BILLING_MANDATE,
            Topics.BILLING_PAYMENT,
            Topics.BILLING_REFUND,
            Topics.BILLING_SUBSCRIPTION,
            Topics.BILLING_INSTALMENT_SCHEDULE,
            Topics.NOTIFICATIONS_DELIVERY,
            Topics.PAYERS_ERASURE));
    expected.add("{topic}.{consumerGroup}.dlt");
    assertThat(CONTRACT.addresses()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(CONTRACT.messageNames(Topics.MERCHANTS_CONNECTION))
        .containsExactlyInAnyOrder(
            "MerchantConnected", "MerchantVerificationChanged", "MerchantDisconnected");
  }

  @Test
  void everyReferenceResolvesAndEveryChannelHasAnOperation() {
    JsonNode document = CONTRACT.document();
    assertThat(document.path("asyncapi").asString()).isEqualTo("3.0.0");
    var references = new ArrayList<String>();
    collectReferences(document, references);
    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(reference).startsWith("#/");
      assertThat(document.at(reference.substring(1)).isMissingNode()).as(reference).isFalse();
    }
    var operated = new ArrayList<String>();
    document
        .path("operations")
        .values()
        .forEach(operation -> operated.add(operation.path("channel").path("$ref").asString()));
    document
        .path("channels")
        .propertyNames()
        .forEach(name -> assertThat(operated).as(name).contains("#/channels/" + name));
  }

  @Test
  void acceptsOnlyGoCardlessAndSyntheticEventIds() {
    for (String id : List.of("EV01PZ44SPF2SM", "synthetic-f7ec73b77afa3f19818209591303c76f")) {
      assertThat(CONTRACT.violations("gocardless.payments", headers(id), EVENT)).as(id).isEmpty();
    }
    for (String id :
        List.of(
            "anything",
            "ev01pz44spf2sm",
            "PM01PZ44SPF2SM",
            "synthetic-F7EC73B77AFA3F19818209591303C76F",
            "synthetic-f7ec73b77afa3f19818209591303c76",
            "EV" + "1".repeat(63))) {
      assertThat(CONTRACT.violations("gocardless.payments", headers(id), EVENT))
          .as(id)
          .singleElement()
          .asString()
          .contains("/id");
    }
  }

  private static Map<String, String> headers(String id) {
    var headers = new LinkedHashMap<String, String>();
    headers.put("id", id);
    headers.put("eventType", "payments.confirmed");
    headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    headers.put("createdAt", "2026-03-02T10:15:47.578Z");
    headers.put("ce_id", id);
    headers.put("ce_type", "payments.confirmed");
    headers.put("ce_source", "/paybridge/webhook-ingest-service");
    headers.put("ce_specversion", "1.0");
    headers.put("ce_time", "2026-03-02T10:15:47.578Z");
    headers.put("content-type", "application/json");
    return headers;
  }

  private static void collectReferences(JsonNode node, List<String> references) {
    if (node.has("$ref")) {
      references.add(node.path("$ref").asString());
    }
    node.values().forEach(child -> collectReferences(child, references));
  }
}
