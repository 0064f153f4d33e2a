package io.paybridge.billing.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureApplied;
import io.paybridge.platform.testsupport.AsyncApiContract;
import io.paybridge.platform.testsupport.ColumnSearch;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * An operator erases a payer: billing-service publishes the request on payers.erasure, applies it
 * to its own projections once (the request delivered twice), acknowledges it, and answers the
 * request's status per service; the payer's personal data is in no column of any table afterwards,
 * while the payments, amounts, dates and ids remain.
 */
class PayerErasureIT extends BillingIntegrationTest {

  private static final String TEAM = "team-erasure";
  // What the team and the payer wrote that identifies the payer (GoCardless keeps them as given).
  private static final String EMAIL = "ada.lovelace@example.com";
  private static final String NAME_IN_TEXT = "Ada Lovelace gym membership";

  private static final AsyncApiContract CONTRACT =
      AsyncApiContract.load(Path.of("../docs/asyncapi.yaml"));

  @Autowired DataSource dataSource;

  @Test
  void anErasureRemovesThePayersPersonalDataOnceAndKeepsTheFinancialRecords() {
    var merchant = connectNewMerchant(TEAM, "Erasure Gym");
    var created =
        postWithKey(
            TEAM,
            "/billing-requests",
            UUID.randomUUID().toString(),
            """
            {"merchantId":"%s",
             "paymentRequest":{"amount":1500,"currency":"GBP","description":"%s"},
             "mandateRequest":{"scheme":"bacs","currency":"GBP"},
             "metadata":{"payerEmail":"%s"}}
            """
                .formatted(merchant.merchantId(), NAME_IN_TEXT, EMAIL));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String billingRequestId = created.json().get("id").asString();
    completeBillingRequest(TEAM, billingRequestId, "Ada");
    advanceUntil(
        merchant.organisation(),
        "mandates",
        simulatorMandateOf(merchant.organisation(), billingRequestId),
        "active");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !get(TEAM, "/billing-requests/" + billingRequestId).path("mandateId").isNull()
                    && !get(TEAM, "/billing-requests/" + billingRequestId)
                        .path("paymentId")
                        .isNull());
    var billingRequest = get(TEAM, "/billing-requests/" + billingRequestId);
    String customerId = billingRequest.path("customerId").asString();
    String mandateId = billingRequest.path("mandateId").asString();
    String firstPaymentId = billingRequest.path("paymentId").asString();
    assertThat(customerId).startsWith("CU");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(TEAM, "/mandates/" + mandateId).equals("active"));
    var payment =
        postWithKey(
            TEAM,
            "/payments",
            UUID.randomUUID().toString(),
            """
            {"mandateId":"%s","amount":2500,"currency":"GBP","description":"%s",
             "reference":"ADALOVELAC","metadata":{"payerEmail":"%s"}}
            """
                .formatted(mandateId, NAME_IN_TEXT, EMAIL));
    assertThat(payment.status()).as(payment.body()).isEqualTo(201);
    String secondPaymentId = payment.json().get("id").asString();
    assertThat(columnsContaining(customerId)).isNotEmpty();
    assertThat(columnsContaining(NAME_IN_TEXT)).isNotEmpty();
    // Metadata is encrypted at rest (PersonalDataEncryptionIT): the export below shows it.
    assertThat(columnsContaining(EMAIL)).isEmpty();

    // The access export shows what is held about the payer.
    var export = Http.get(url("/operations/payers/" + customerId + "/export"), operator());
    assertThat(export.status()).as(export.body()).isEqualTo(200);
    assertThat(export.body()).contains(EMAIL, NAME_IN_TEXT, billingRequestId, secondPaymentId);
    assertThat(export.json().path("records").path("payments").size()).isEqualTo(2);

    try (var topic = KafkaTestConsumer.fromNow(Topics.PAYERS_ERASURE)) {
      var asked =
          Http.postJson(url("/operations/payers/" + customerId + "/erasure"), operator(), "");
      assertThat(asked.status()).as(asked.body()).isEqualTo(202);
      String requestId = asked.json().path("requestId").asString();
      assertThat(asked.json().path("resourceCount").asInt()).isEqualTo(4);
      assertThat(asked.json().path("complete").asBoolean()).isFalse();

      // The request as published, delivered a second time (same id header).
      var request =
          topic.await(
              r ->
                  requestId.equals(r.key())
                      && "PayerErasureRequested".equals(r.header(EventHeaders.EVENT_TYPE)));
      assertThat(request.value()).contains(customerId);
      assertThat(CONTRACT.violations(request)).as(request.value()).isEmpty();
      world.events.send(Topics.PAYERS_ERASURE, requestId, request.value(), request.headers());
      // Behind the duplicate on the same partition: once it is recorded, the duplicate was read.
      var marker = new PayerErasureApplied(requestId, "test-marker", 0, Instant.now());
      world.events.send(
          Topics.PAYERS_ERASURE,
          requestId,
          mapper.writeValueAsString(marker),
          Map.of(
              EventHeaders.ID,
              UUID.randomUUID().toString(),
              EventHeaders.EVENT_TYPE,
              "PayerErasureApplied"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> statusOf(requestId).toString().contains("test-marker"));

      var acknowledgements =
          topic.readPastMarker(
              dataSource,
              Topics.PAYERS_ERASURE,
              r ->
                  requestId.equals(r.key())
                      && "PayerErasureApplied".equals(r.header(EventHeaders.EVENT_TYPE))
                      && r.value().contains("\"billing-service\""),
              Duration.ofSeconds(30));
      assertThat(acknowledgements).hasSize(1);
      assertThat(CONTRACT.violations(acknowledgements.getFirst()))
          .as(acknowledgements.getFirst().value())
          .isEmpty();

      var status = statusOf(requestId);
      assertThat(step(status, "billing-service").path("status").asString()).isEqualTo("applied");
      // 4 projected resources and the kept outbox row of the request.
      assertThat(step(status, "billing-service").path("rowsChanged").asInt()).isEqualTo(5);
      assertThat(step(status, "notification-service").path("status").asString())
          .isEqualTo("pending");
      assertThat(status.path("complete").asBoolean()).isFalse();
    }

    // Nothing of the payer's personal data in any column of any table...
    assertThat(columnsContaining(customerId)).isEmpty();
    assertThat(columnsContaining(EMAIL)).isEmpty();
    assertThat(columnsContaining(NAME_IN_TEXT)).isEmpty();
    assertThat(columnsContaining("ADALOVELAC")).isEmpty();
    // ...while the financial records remain, joined by the pseudonym.
    var erasedPayment = get(TEAM, "/payments/" + secondPaymentId);
    assertThat(erasedPayment.path("amount").asLong()).isEqualTo(2500);
    assertThat(erasedPayment.path("currency").asString()).isEqualTo("GBP");
    assertThat(erasedPayment.path("mandateId").asString()).isEqualTo(mandateId);
    assertThat(erasedPayment.path("chargeDate").isNull()).isFalse();
    assertThat(erasedPayment.path("description").isNull()).isTrue();
    assertThat(get(TEAM, "/payments/" + firstPaymentId).path("amount").asLong()).isEqualTo(1500);
    String pseudonym = get(TEAM, "/mandates/" + mandateId).path("customerId").asString();
    assertThat(pseudonym).startsWith("erased-").isNotEqualTo(customerId);
    assertThat(get(TEAM, "/billing-requests/" + billingRequestId).path("customerId").asString())
        .isEqualTo(pseudonym);

    // The payer asked again is still found (by the pseudonym), with nothing personal left to show.
    var after = Http.get(url("/operations/payers/" + customerId + "/export"), operator());
    assertThat(after.json().path("records").path("payments").size()).isEqualTo(2);
    assertThat(after.body()).doesNotContain(EMAIL, NAME_IN_TEXT);
    assertThat(after.json().path("erasureRequests").size()).isEqualTo(1);
  }

  @Test
  void badRequestsAreProblems() {
    var readOnly = world.issuer.serviceToken("ops-console", AUDIENCE, "operations:read");
    var forbidden = Http.postJson(url("/operations/payers/CU000123/erasure"), readOnly, "");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(Http.get(url("/operations/payers/CU000123/export"), readOnly).status())
        .isEqualTo(403);
    var team = world.teamToken(TEAM, "payments:read", "payments:write");
    assertThat(Http.postJson(url("/operations/payers/CU000123/erasure"), team, "").status())
        .isEqualTo(403);

    var invalid = Http.postJson(url("/operations/payers/MD000123/erasure"), operator(), "");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().path("type").asString())
        .isEqualTo("https://paybridge.io/problems/invalid-customer-id");
    var unknown = Http.get(url("/operations/erasures/" + UUID.randomUUID()), readOnly);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("type").asString())
        .isEqualTo("https://paybridge.io/problems/erasure-request-not-found");
  }

  private static final String AUDIENCE = "billing-service";

  private String operator() {
    return world.issuer.serviceToken(
        "ops-console", AUDIENCE, "operations:read", "operations:write");
  }

  private JsonNode statusOf(String requestId) {
    var response = Http.get(url("/operations/erasures/" + requestId), operator());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static JsonNode step(JsonNode status, String service) {
    for (var step : status.path("services")) {
      if (step.path("service").asString().equals(service)) {
        return step;
      }
    }
    throw new AssertionError("No step of " + service + " in " + status);
  }

  private List<String> columnsContaining(String text) {
    return ColumnSearch.columnsContaining(dataSource, text);
  }
}
