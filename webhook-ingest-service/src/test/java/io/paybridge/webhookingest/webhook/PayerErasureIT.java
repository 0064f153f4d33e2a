package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.testsupport.ColumnSearch;
import io.paybridge.platform.testsupport.GoCardlessEventsStandIn;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * A payer's erasure request on payers.erasure (as billing-service publishes it), delivered twice:
 * the raw delivery, the inbox, the kept outbox rows of the payer's events lose the customer id and
 * the metadata, once, and keep the events' ids, types, times and resource links; another payer's
 * event in the same delivery is kept as it was; one acknowledgement is published.
 */
@IntegrationTest
class PayerErasureIT {

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired ObjectMapper mapper;
  @Autowired DataSource dataSource;

  @Test
  void theEventsNamingThePayerAreErasedOnceAndOthersKept() {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    String customer = "CU" + suffix;
    String payment = "PM" + suffix;
    String email = "ada." + suffix.toLowerCase() + "@example.com";
    String otherEmail = "grace." + suffix.toLowerCase() + "@example.com";
    String body =
        """
        {"events":[
          {"id":"EVB%1$s","created_at":"2026-03-10T06:01:12.004Z","resource_type":"billing_requests",
           "action":"fulfilled","links":{"billing_request":"BRQ%1$s","customer":"%2$s",
           "customer_bank_account":"BA%1$s","organisation":"OR00004YQ27G22"},"details":{"origin":"api"},
           "metadata":{"payerEmail":"%3$s"},"resource_metadata":{"payerEmail":"%3$s"}},
          {"id":"EVP%1$s","created_at":"2026-03-10T06:01:13.004Z","resource_type":"payments",
           "action":"failed","links":{"payment":"%4$s","organisation":"OR00004YQ27G22"},
           "details":{"origin":"bank","cause":"insufficient_funds"},"metadata":{},
           "resource_metadata":{"payerEmail":"%3$s"}},
          {"id":"EVO%1$s","created_at":"2026-03-10T06:01:14.004Z","resource_type":"payments",
           "action":"confirmed","links":{"payment":"PMO%1$s","organisation":"OR00004YQ27G22"},
           "details":{"origin":"gocardless"},"metadata":{},"resource_metadata":{"payerEmail":"%5$s"}}
        ],"meta":{"webhook_id":"WB%1$s"}}
        """
            .formatted(suffix, customer, email, payment, otherEmail);
    var response = new WebhookClient(port).postSigned(body, SIMULATOR_SECRET);
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(columnsContaining(email))
        .contains("webhook_delivery.body", "gocardless_event.payload", "outbox_event.payload");
    assertThat(columnsContaining(customer)).isNotEmpty();
    // The access request shows the payer's two events, not the other payer's.
    var export = export(customer, "BRQ" + suffix, payment);
    assertThat(export.status()).as(export.body()).isEqualTo(200);
    assertThat(mapper.readTree(export.body()).path("events").size()).isEqualTo(2);
    assertThat(export.body()).contains(email).doesNotContain(otherEmail);
    assertThat(export(customer).status()).isEqualTo(200);
    assertThat(
            Http.get(url("/operations/payers/" + customer + "/events"), "not-an-operator").status())
        .isEqualTo(401);

    String requestId = UUID.randomUUID().toString();
    var request =
        new PayerErasureRequested(
            requestId,
            customer,
            "erased-0123456789abcdef0123456789abcdef",
            List.of("BRQ" + suffix, payment),
            "ops-console",
            Instant.now());
    var eventId = UUID.randomUUID().toString();
    try (var topic = KafkaTestConsumer.fromNow(Topics.PAYERS_ERASURE);
        var producer = new GoCardlessEventsStandIn()) {
      for (int delivery = 0; delivery < 2; delivery++) {
        producer.send(
            Topics.PAYERS_ERASURE,
            requestId,
            mapper.writeValueAsString(request),
            Map.of(EventHeaders.ID, eventId, EventHeaders.EVENT_TYPE, "PayerErasureRequested"));
      }
      // A request about nobody behind the duplicate on the same partition (same key): once it is
      // acknowledged, the duplicate was read.
      var marker =
          new PayerErasureRequested(
              requestId, "CUNOBODY" + suffix, "erased-marker", List.of(), "ops", Instant.now());
      producer.send(
          Topics.PAYERS_ERASURE,
          requestId,
          mapper.writeValueAsString(marker),
          Map.of(
              EventHeaders.ID,
              UUID.randomUUID().toString(),
              EventHeaders.EVENT_TYPE,
              "PayerErasureRequested"));
      topic.await(
          r ->
              requestId.equals(r.key())
                  && "PayerErasureApplied".equals(r.header(EventHeaders.EVENT_TYPE))
                  && r.value().contains("\"rowsChanged\":0"),
          Duration.ofSeconds(30));
      var acknowledgements =
          topic.readPastMarker(
              dataSource,
              Topics.PAYERS_ERASURE,
              r ->
                  requestId.equals(r.key())
                      && "PayerErasureApplied".equals(r.header(EventHeaders.EVENT_TYPE))
                      && r.value().contains("\"webhook-ingest-service\""),
              Duration.ofSeconds(30));
      assertThat(acknowledgements).hasSize(2);
      // The delivery, two inbox rows, their two outbox rows.
      assertThat(acknowledgements)
          .filteredOn(r -> r.value().contains("\"rowsChanged\":5"))
          .hasSize(1);
    }

    assertThat(columnsContaining(email)).isEmpty();
    assertThat(columnsContaining(customer)).isEmpty();
    var after = export(customer, "BRQ" + suffix, payment);
    assertThat(mapper.readTree(after.body()).path("events").size()).isEqualTo(2);
    // The request names the customer; the events no longer do.
    assertThat(mapper.readTree(after.body()).path("events").toString())
        .doesNotContain(email, customer);
    assertThat(columnsContaining("BA" + suffix)).isEmpty();
    // The other payer's event, in the same delivery, is kept as it was.
    assertThat(columnsContaining(otherEmail))
        .contains("webhook_delivery.body", "gocardless_event.payload", "outbox_event.payload");
    var erased =
        mapper.readTree(
            jdbc.queryForObject(
                "select payload::text from gocardless_event where event_id = ?",
                String.class,
                "EVB" + suffix));
    assertThat(erased.path("links").path("customer").asString())
        .isEqualTo("erased-0123456789abcdef0123456789abcdef");
    assertThat(erased.path("links").path("billing_request").asString()).isEqualTo("BRQ" + suffix);
    assertThat(erased.path("action").asString()).isEqualTo("fulfilled");
    assertThat(erased.path("created_at").asString()).isEqualTo("2026-03-10T06:01:12.004Z");
    assertThat(erased.path("metadata").size()).isZero();
  }

  private String url(String path) {
    return "http://localhost:" + port + path;
  }

  private Http.Response export(String customerId, String... resourceIds) {
    var query = new StringBuilder();
    for (String id : resourceIds) {
      query.append(query.isEmpty() ? "?" : "&").append("resourceId=").append(id);
    }
    return Http.get(
        url("/operations/payers/" + customerId + "/events" + query),
        "test-operator-token-000000000000000000000000");
  }

  private List<String> columnsContaining(String text) {
    return ColumnSearch.columnsContaining(dataSource, text);
  }
}
