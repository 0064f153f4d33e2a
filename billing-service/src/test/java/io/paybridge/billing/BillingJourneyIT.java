package io.paybridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.AsyncApiContract;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.simulator.SimulatedOrganisation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * A team takes payments through the simulator: a billing request with a payment and a mandate
 * completed on the hosted page, recurring payments on the mandate, the clock moved to paid out;
 * idempotency keys, team isolation, GoCardless down, and every GoCardless event delivered twice and
 * shuffled. Statuses expected are GoCardless's (docs/gocardless/API.md §4.3-4.4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingJourneyIT extends BillingIntegrationTest {

  static final AsyncApiContract CONTRACT = AsyncApiContract.load(Path.of("../docs/asyncapi.yaml"));
  static final String TEAM_A = "team-a";
  static final String TEAM_B = "team-b";
  static final java.util.Set<String> PROJECTED =
      java.util.Set.of("billing_requests", "mandates", "payments");

  SimulatedOrganisation organisationA;
  String merchantA;

  String billingRequestId;
  String mandateId;
  String recurringPaymentId;

  @BeforeAll
  void connectMerchants() {
    var a = connectNewMerchant(TEAM_A, "Team A Shop");
    organisationA = a.organisation();
    merchantA = a.merchantId();
    connectNewMerchant(TEAM_B, "Team B Shop");
  }

  private Http.Response createBillingRequest(
      String team, String key, String merchantId, long amount) {
    return Http.postJsonWithHeaders(
        url("/billing-requests"),
        writer(team),
        """
        {"merchantId":"%s",
         "paymentRequest":{"amount":%d,"currency":"GBP","description":"Yoga class pass"},
         "mandateRequest":{"scheme":"bacs","currency":"GBP","verify":"recommended"},
         "metadata":{"order":"o-42"}}
        """
            .formatted(merchantId, amount),
        Map.of("Idempotency-Key", key));
  }

  @Test
  @Order(1)
  void aTeamCollectsAPaymentAndAMandateThroughTheHostedPage() {
    try (var facts =
        KafkaTestConsumer.fromNow(
            Topics.BILLING_BILLING_REQUEST, Topics.BILLING_MANDATE, Topics.BILLING_PAYMENT)) {
      String key = "order-o-42-" + UUID.randomUUID();
      var created = createBillingRequest(TEAM_A, key, merchantA, 1500);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      billingRequestId = created.json().get("id").asString();
      assertThat(created.json().get("status").asString()).isEqualTo("pending");
      assertThat(created.json().path("mandateRequest").path("verify").asString())
          .isEqualTo("recommended");

      // The same key and body: the same billing request, nothing created twice.
      var again = createBillingRequest(TEAM_A, key, merchantA, 1500);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().get("id").asString()).isEqualTo(billingRequestId);
      // The same key, another body: refused.
      var other = createBillingRequest(TEAM_A, key, merchantA, 9999);
      assertThat(other.status()).isEqualTo(422);
      assertThat(other.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/idempotency-key-reused");
      assertThat(world.simulator.baseUrl()).isNotNull();
      long requestsAtGoCardless =
          world.eventsOf(organisationA).stream()
              .filter(e -> e.path("resource_type").asString().equals("billing_requests"))
              .filter(e -> e.path("action").asString().equals("created"))
              .count();
      assertThat(requestsAtGoCardless).isEqualTo(1);

      var flow =
          Http.postJson(
              url("/billing-request-flows"),
              writer(TEAM_A),
              """
              {"billingRequestId":"%s","redirectUri":"https://team-a.test/paid","exitUri":"https://team-a.test/exit"}
              """
                  .formatted(billingRequestId));
      assertThat(flow.status()).as(flow.body()).isEqualTo(201);
      String authorisationUrl = flow.json().get("authorisationUrl").asString();
      assertThat(authorisationUrl).startsWith(world.simulator.baseUrl());
      payOnTheHostedPage(authorisationUrl, "Frank");

      deliverEventsOf(organisationA);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  get(TEAM_A, "/billing-requests/" + billingRequestId)
                      .path("status")
                      .asString()
                      .equals("fulfilled"));
      var fulfilled = get(TEAM_A, "/billing-requests/" + billingRequestId);
      mandateId = fulfilled.path("mandateId").asString();
      String instantPaymentId = fulfilled.path("paymentId").asString();
      assertThat(mandateId).startsWith("MD");
      assertThat(instantPaymentId).startsWith("PM");
      facts
          .await(
              r ->
                  r.topic().equals(Topics.BILLING_BILLING_REQUEST)
                      && "BillingRequestFulfilled".equals(r.header(EventHeaders.EVENT_TYPE)))
          .hasKey(billingRequestId)
          .hasHeader(EventHeaders.TENANT, TEAM_A)
          .hasHeader(EventHeaders.ORGANISATION_ID, organisationA.organisationId());

      // Mandate active after its submission (GoCardless: next working day, then two more).
      advanceUntil(organisationA, "mandates", mandateId, "active");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  get(TEAM_A, "/mandates/" + mandateId).path("status").asString().equals("active"));

      // A recurring payment on the mandate, then the clock to paid out.
      var payment =
          Http.postJsonWithHeaders(
              url("/payments"),
              writer(TEAM_A),
              """
              {"mandateId":"%s","amount":2500,"currency":"GBP","description":"Monthly plan"}
              """
                  .formatted(mandateId),
              Map.of("Idempotency-Key", "monthly-" + UUID.randomUUID()));
      assertThat(payment.status()).as(payment.body()).isEqualTo(201);
      recurringPaymentId = payment.json().get("id").asString();
      assertThat(payment.json().get("amount").asLong()).isEqualTo(2500);
      assertThat(payment.json().get("status").asString()).isEqualTo("pending_submission");

      advanceUntil(organisationA, "payments", recurringPaymentId, "paid_out");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  get(TEAM_A, "/payments/" + recurringPaymentId)
                      .path("status")
                      .asString()
                      .equals("paid_out"));
      var confirmed =
          facts.await(
              r ->
                  "PaymentConfirmed".equals(r.header(EventHeaders.EVENT_TYPE))
                      && recurringPaymentId.equals(r.key()));
      assertThat(Http.json(confirmed.value()).get("amount").asLong()).isEqualTo(2500);
      assertThat(Http.json(confirmed.value()).get("currency").asString()).isEqualTo("GBP");
      facts
          .await(
              r ->
                  "PaymentPaidOut".equals(r.header(EventHeaders.EVENT_TYPE))
                      && recurringPaymentId.equals(r.key()))
          .hasHeader(EventHeaders.TENANT, TEAM_A);
      facts.await(
          r ->
              "MandateActive".equals(r.header(EventHeaders.EVENT_TYPE))
                  && mandateId.equals(r.key()));

      var list = get(TEAM_A, "/payments?merchantId=" + merchantA + "&limit=1");
      assertThat(list.path("items")).hasSize(1);
      assertThat(list.path("nextCursor").isNull()).isFalse();
      var next =
          get(
              TEAM_A,
              "/payments?merchantId="
                  + merchantA
                  + "&limit=1&after="
                  + list.path("nextCursor").asString());
      assertThat(next.path("items").get(0).path("id").asString())
          .isNotEqualTo(list.path("items").get(0).path("id").asString());

      // Every fact published matches the AsyncAPI document (docs/asyncapi.yaml).
      var published = facts.readToEnd(r -> true, Duration.ofSeconds(10));
      assertThat(published).isNotEmpty();
      for (var record : published) {
        assertThat(CONTRACT.violations(record)).as("%s %s", record, record.value()).isEmpty();
      }
    }
  }

  @Test
  @Order(2)
  void anotherTeamSeesNothingOfIt() {
    var foreign = Http.get(url("/billing-requests/" + billingRequestId), writer(TEAM_B));
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(Http.get(url("/payments/" + recurringPaymentId), writer(TEAM_B)).status())
        .isEqualTo(404);
    assertThat(Http.get(url("/mandates/" + mandateId), writer(TEAM_B)).status()).isEqualTo(404);
    var list = get(TEAM_B, "/payments");
    assertThat(list.path("items")).isEmpty();

    var withForeignMerchant =
        createBillingRequest(TEAM_B, UUID.randomUUID().toString(), merchantA, 100);
    assertThat(withForeignMerchant.status()).isEqualTo(404);
    assertThat(withForeignMerchant.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/merchant-not-found");
    var onForeignMandate =
        Http.postJsonWithHeaders(
            url("/payments"),
            writer(TEAM_B),
            "{\"mandateId\":\"%s\",\"amount\":100,\"currency\":\"GBP\"}".formatted(mandateId),
            Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertThat(onForeignMandate.status()).isEqualTo(404);

    // Scopes are checked here too: a read-only token cannot create.
    var readOnly =
        Http.postJsonWithHeaders(
            url("/billing-requests"),
            world.teamToken(TEAM_A, "payments:read"),
            "{}",
            Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertThat(readOnly.status()).isEqualTo(403);
    var missingKey =
        Http.postJson(
            url("/billing-requests"),
            writer(TEAM_A),
            "{\"merchantId\":\"%s\"}".formatted(merchantA));
    assertThat(missingKey.status()).isEqualTo(400);
    assertThat(missingKey.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/idempotency-key-required");
  }

  @Test
  @Order(3)
  void everyEventDeliveredTwiceAndShuffledGivesTheSameProjections() {
    List<JsonNode> events =
        world.eventsOf(organisationA).stream()
            .filter(e -> PROJECTED.contains(e.path("resource_type").asString()))
            .toList();
    Map<String, String> inOrder = projections();
    assertThat(inOrder).isNotEmpty();

    // Forget the projections and what was consumed, then deliver every event twice, shuffled.
    jdbc.update("delete from billing_request where merchant_id = ?", merchantA);
    jdbc.update("delete from mandate where merchant_id = ?", merchantA);
    jdbc.update("delete from payment where merchant_id = ?", merchantA);
    jdbc.update("delete from consumed_message where consumer = 'billing-service'");
    List<JsonNode> shuffled = new ArrayList<>(events);
    shuffled.addAll(events);
    Collections.shuffle(shuffled, new Random(8));
    shuffled.forEach(world.events::publish);

    // The known end: every distinct event recorded as consumed once.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                jdbc.queryForObject(
                        "select count(*) from consumed_message where consumer = 'billing-service'",
                        Integer.class)
                    == events.size());
    assertThat(projections()).isEqualTo(inOrder);
  }

  /** id → status and failure of every projected resource of merchant A. */
  private Map<String, String> projections() {
    return jdbc
        .query(
            """
            select id, status, view->'failure' as failure from billing_request where merchant_id = ?
            union all select id, status, view->'failure' from mandate where merchant_id = ?
            union all select id, status, view->'failure' from payment where merchant_id = ?
            """,
            (rs, i) -> Map.entry(rs.getString(1), rs.getString(2) + " " + rs.getString(3)),
            merchantA,
            merchantA,
            merchantA)
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Test
  @Order(4)
  void gocardlessDownIsA503OpensTheCircuitAndItClosesWhenBack() {
    world.gocardless.down(true);
    try {
      Http.Response last = null;
      for (int i = 0; i < 3; i++) {
        last = createBillingRequest(TEAM_A, UUID.randomUUID().toString(), merchantA, 700);
        assertThat(last.status()).isEqualTo(503);
        assertThat(last.header("Retry-After")).isNotBlank();
        assertThat(last.json().get("type").asString())
            .isEqualTo("https://paybridge.io/problems/gocardless-unavailable");
      }
      assertThat(last.json().get("detail").asString()).contains("circuit open");
    } finally {
      world.gocardless.down(false);
    }
    // Back up: once the open state's wait is over (2 s in tests), calls pass again.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                createBillingRequest(TEAM_A, UUID.randomUUID().toString(), merchantA, 700).status()
                    == 201);
  }
}
