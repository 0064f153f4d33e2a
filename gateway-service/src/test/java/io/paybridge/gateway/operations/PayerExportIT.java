package io.paybridge.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.http.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One access export about a payer, joined by the gateway: billing-service's export first, then
 * webhook-ingest-service's and notification-service's parts asked by the resource ids billing
 * lists, each with the caller's token (webhook-ingest-service: its configured operator token, as
 * for the other joined reads); a part that does not answer is named in {@code unavailable}.
 */
class PayerExportIT extends GatewayHarness {

  private static final String CUSTOMER = "CU00EXPORT01";
  private static final String BILLING_PATH = "/operations/payers/" + CUSTOMER + "/export";
  private static final String EVENTS_PATH = "/operations/payers/" + CUSTOMER + "/events";
  private static final String DELIVERIES_PATH = "/operations/payers/" + CUSTOMER + "/deliveries";

  @BeforeEach
  void servicesHoldThePayer() {
    // GatewayHarness has reset the stand-ins. webhook-ingest-service takes its configured operator
    // token, not the platform's JWTs.
    WEBHOOK_INGEST.acceptOperatorToken(WEBHOOK_INGEST_OPERATOR_TOKEN);
    BILLING.answer(
        BILLING_PATH,
        request ->
            """
        {"service":"billing-service","customerId":"%s",
         "records":{"payments":[{"id":"PM00EXP1","amount":1500}],"mandates":[{"id":"MD00EXP1"}]},
         "erasureRequests":[]}
        """
                .formatted(CUSTOMER));
    WEBHOOK_INGEST.answer(
        EVENTS_PATH, request -> "{\"service\":\"webhook-ingest-service\",\"events\":[1]}");
    NOTIFICATION.answer(
        DELIVERIES_PATH, request -> "{\"service\":\"notification-service\",\"deliveries\":[2]}");
  }

  @Test
  void joinsTheServicesPartsAskedByBillingsResourceIds() {
    String operator = teamToken("operations", "operations:write");

    var export = Http.get(url(BILLING_PATH), operator);

    assertThat(export.status()).as(export.body()).isEqualTo(200);
    var joined = export.json();
    assertThat(joined.path("customerId").asString()).isEqualTo(CUSTOMER);
    assertThat(joined.path("unavailable").isEmpty()).isTrue();
    assertThat(joined.path("services").path("billing-service").path("records").toString())
        .contains("PM00EXP1", "MD00EXP1");
    assertThat(joined.path("services").path("webhook-ingest-service").path("events").get(0).asInt())
        .isEqualTo(1);
    assertThat(
            joined.path("services").path("notification-service").path("deliveries").get(0).asInt())
        .isEqualTo(2);
    var events = WEBHOOK_INGEST.received().getFirst();
    assertThat(events.path()).isEqualTo(EVENTS_PATH);
    assertThat(events.query()).isEqualTo("resourceId=PM00EXP1&resourceId=MD00EXP1");
    assertThat(events.header("Authorization")).isEqualTo("Bearer " + WEBHOOK_INGEST_OPERATOR_TOKEN);
    var deliveries = NOTIFICATION.received().getFirst();
    assertThat(deliveries.path()).isEqualTo(DELIVERIES_PATH);
    assertThat(deliveries.query()).isEqualTo("resourceId=PM00EXP1&resourceId=MD00EXP1");
    assertThat(deliveries.header("Authorization")).isEqualTo("Bearer " + operator);
  }

  @Test
  void aServiceThatDoesNotAnswerIsListedAsUnavailable() {
    WEBHOOK_INGEST.answer(503);

    var export = Http.get(url(BILLING_PATH), teamToken("operations", "operations:write"));

    assertThat(export.status()).as(export.body()).isEqualTo(200);
    var joined = export.json();
    assertThat(joined.path("unavailable").toString()).isEqualTo("[\"webhook-ingest-service\"]");
    assertThat(joined.path("services").has("webhook-ingest-service")).isFalse();
    assertThat(joined.path("services").path("notification-service").path("deliveries").size())
        .isEqualTo(1);
  }

  @Test
  void billingsRefusalIsPassedOnAndNoOtherServiceIsAsked() {
    // billing-service's own error (for example an invalid customer id), as it gave it.
    BILLING.answer(400);

    var export = Http.get(url(BILLING_PATH), teamToken("operations", "operations:write"));

    assertThat(export.status()).isEqualTo(400);
    assertThat(export.body()).contains("forced");
    assertThat(WEBHOOK_INGEST.received()).isEmpty();
    assertThat(NOTIFICATION.received()).isEmpty();
  }

  @Test
  void withoutBillingServiceTheExportIsUnavailable() {
    BILLING.stop();
    try {
      var export = Http.get(url(BILLING_PATH), teamToken("operations", "operations:write"));

      assertThat(export.status()).isEqualTo(503);
      assertThat(export.json().path("type").asString()).endsWith("/service-unavailable");
      assertThat(WEBHOOK_INGEST.received()).isEmpty();
      assertThat(NOTIFICATION.received()).isEmpty();
    } finally {
      BILLING.start();
    }
  }

  @Test
  void needsTheWriteScope() {
    var export = Http.get(url(BILLING_PATH), teamToken("operations", "operations:read"));

    assertThat(export.status()).isEqualTo(403);
    assertThat(BILLING.received()).isEmpty();
  }
}
