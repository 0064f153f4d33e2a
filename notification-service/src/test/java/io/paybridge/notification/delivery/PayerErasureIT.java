package io.paybridge.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.notification.support.NotificationHarness;
import io.paybridge.notification.support.WebhookReceiver;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.testsupport.ColumnSearch;
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

/**
 * A payer's erasure request on payers.erasure (as billing-service publishes it), delivered twice:
 * the deliveries of facts about the payer's resources lose every field but ids, amounts, times and
 * causes, once; other payers' deliveries stay as they were; one acknowledgement is published.
 */
class PayerErasureIT extends NotificationHarness {

  private static final String PRIVATE = "Ada Lovelace's card was declined";

  @Autowired DataSource dataSource;

  private static String fact(String team, String paymentId, String description) {
    return toJson(
        Map.of(
            "paymentId",
            paymentId,
            "mandateId",
            "MD" + paymentId.substring(2),
            "merchantId",
            "3f1c2a4e-8d4b-4a51-9c39-2f0c1b7e5d10",
            "team",
            team,
            "amount",
            1250,
            "currency",
            "GBP",
            "cause",
            "insufficient_funds",
            "description",
            description,
            "willAttemptRetry",
            false,
            "occurredAt",
            "2026-03-02T10:15:47.578Z"));
  }

  @Test
  void theDeliveriesAboutThePayerAreErasedOnceAndOthersKept() throws Exception {
    String team = newTeam();
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    String payment = "PM" + suffix;
    String otherPayment = "PM" + suffix + "X";
    String otherText = "Another payer " + suffix;
    try (var receiver = WebhookReceiver.start();
        var topic = KafkaTestConsumer.fromNow(Topics.PAYERS_ERASURE)) {
      String endpointId =
          createWebhook(team, receiver.url("/hooks"), "billing.*")
              .get("endpoint")
              .get("id")
              .asString();
      publish(Topics.BILLING_PAYMENT, payment, "PaymentFailed", team, fact(team, payment, PRIVATE));
      publish(
          Topics.BILLING_PAYMENT,
          otherPayment,
          "PaymentFailed",
          team,
          fact(team, otherPayment, otherText));
      awaitFinished(team, endpointId, 2, Duration.ofSeconds(20));
      assertThat(columnsContaining(PRIVATE)).containsExactly("delivery.body");
      // The access request shows the payer's delivery, and no other payer's.
      var export = export("CU" + suffix, payment, "MD" + suffix);
      assertThat(export.status()).as(export.body()).isEqualTo(200);
      assertThat(export.json().path("deliveries").size()).isEqualTo(1);
      assertThat(export.body()).contains(PRIVATE).doesNotContain(otherText);

      String requestId = UUID.randomUUID().toString();
      var request =
          new PayerErasureRequested(
              requestId,
              "CU" + suffix,
              "erased-0123456789abcdef0123456789abcdef",
              List.of(payment, "MD" + suffix),
              "ops-console",
              Instant.now());
      String eventId = UUID.randomUUID().toString();
      for (int delivery = 0; delivery < 2; delivery++) {
        publish(
            Topics.PAYERS_ERASURE,
            requestId,
            eventId,
            "PayerErasureRequested",
            team,
            toJson(request));
      }
      // A second request behind the duplicate on the same partition (same key): once it is
      // acknowledged, the duplicate was read.
      var marker =
          new PayerErasureRequested(
              requestId,
              "CU" + suffix + "M",
              "erased-marker",
              List.of(),
              "ops-console",
              Instant.now());
      String markerId =
          publish(Topics.PAYERS_ERASURE, requestId, "PayerErasureRequested", team, toJson(marker));
      topic.await(
          r ->
              "PayerErasureApplied".equals(r.header(EventHeaders.EVENT_TYPE))
                  && requestId.equals(r.key())
                  && r.value().contains("\"rowsChanged\":0"),
          Duration.ofSeconds(30));
      assertThat(markerId).isNotBlank();

      var acknowledgements =
          topic.readPastMarker(
              dataSource,
              Topics.PAYERS_ERASURE,
              r ->
                  requestId.equals(r.key())
                      && "PayerErasureApplied".equals(r.header(EventHeaders.EVENT_TYPE))
                      && r.value().contains("\"notification-service\""),
              Duration.ofSeconds(30));
      // The request (twice) and the marker request: two acknowledgements, one of each.
      assertThat(acknowledgements).hasSize(2);
      assertThat(acknowledgements)
          .filteredOn(r -> !r.value().contains("\"rowsChanged\":0"))
          .hasSize(1);

      assertThat(columnsContaining(PRIVATE)).isEmpty();
      var after = export("CU" + suffix, payment, "MD" + suffix);
      assertThat(after.json().path("deliveries").size()).isEqualTo(1);
      assertThat(after.body()).doesNotContain(PRIVATE).contains("\"personalDataErased\":true");
      assertThat(columnsContaining(otherText)).containsExactly("delivery.body");
      String body =
          jdbc.queryForObject(
              "select body from delivery where strpos(body, ?) > 0 and endpoint_id = ?::uuid",
              String.class,
              "\"" + payment + "\"",
              endpointId);
      assertThat(body)
          .contains("\"paymentId\":\"" + payment + "\"", "\"amount\":1250", "\"currency\":\"GBP\"")
          .contains("\"personalDataErased\":true")
          .doesNotContain("description");
    }
  }

  private Http.Response export(String customerId, String... resourceIds) {
    var query = new StringBuilder();
    for (String id : resourceIds) {
      query.append(query.isEmpty() ? "?" : "&").append("resourceId=").append(id);
    }
    return Http.get(
        url("/operations/payers/" + customerId + "/deliveries" + query),
        issuer.serviceToken("ops-console", AUDIENCE, "operations:read"));
  }

  private List<String> columnsContaining(String text) {
    return ColumnSearch.columnsContaining(dataSource, text);
  }
}
