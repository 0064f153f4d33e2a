package io.paybridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.gocardless.GoCardlessClient;
import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.billing.support.BillingWorld;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.gocardless.GoCardless;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Payments after the mandate: one that fails and is retried, one cancelled before submission, and
 * creates whose commit was lost after GoCardless made the resource. Expected statuses and errors
 * are GoCardless's (docs/gocardless/API.md §1.7, §4.4; the sandbox's "Penniless" payer).
 */
class PaymentLifecycleIT extends BillingIntegrationTest {

  @Autowired GoCardless gocardless;

  @Test
  void aListWithParametersOutOfRangeIsRefusedWithAProblem() {
    // docs/problems.md, billing-service: invalid-request for a list's limit, cursor or instants.
    for (String query :
        List.of(
            "limit=0",
            "limit=201",
            "limit=many",
            "after=not-a-cursor",
            "createdFrom=yesterday",
            "createdBefore=2026-13-01T00:00:00Z")) {
      for (String list :
          List.of(
              "/billing-requests",
              "/mandates",
              "/payments",
              "/refunds",
              "/subscriptions",
              "/instalment-schedules")) {
        var refused = Http.get(url(list + "?" + query), writer("team-lists"));
        assertThat(refused.status()).as(list + "?" + query + ": " + refused.body()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asString())
            .isEqualTo("https://paybridge.io/problems/invalid-request");
      }
    }
    var page = Http.get(url("/payments?limit=200"), writer("team-lists"));
    assertThat(page.status()).as(page.body()).isEqualTo(200);
  }

  @Test
  void aFailedPaymentIsReportedAndRetried() {
    var merchant = connectNewMerchant("team-c", "Team C Gym");
    String team = merchant.team();
    // The sandbox's name trigger: payments of a payer called Penniless fail when collected.
    String mandateId = activeMandate(merchant, "Penniless");
    try (var facts = KafkaTestConsumer.fromNow(Topics.BILLING_PAYMENT)) {
      var created =
          postWithKey(
              team,
              "/payments",
              UUID.randomUUID().toString(),
              "{\"mandateId\":\"%s\",\"amount\":1200,\"currency\":\"GBP\"}".formatted(mandateId));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String paymentId = created.json().get("id").asString();

      advanceUntil(merchant.organisation(), "payments", paymentId, "failed");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(team, "/payments/" + paymentId).equals("failed"));

      // What GoCardless said about the failure, from its own events.
      var failedEvent =
          world.eventsOf(merchant.organisation()).stream()
              .filter(e -> e.path("resource_type").asString().equals("payments"))
              .filter(e -> e.path("action").asString().equals("failed"))
              .filter(e -> e.path("links").path("payment").asString().equals(paymentId))
              .findFirst()
              .orElseThrow();
      String cause = failedEvent.path("details").path("cause").asString();
      var failure = get(team, "/payments/" + paymentId).path("failure");
      assertThat(failure.path("cause").asString()).isEqualTo(cause);
      var fact =
          facts.await(
              r ->
                  "PaymentFailed".equals(r.header(EventHeaders.EVENT_TYPE))
                      && paymentId.equals(r.key()));
      fact.hasHeader(EventHeaders.TENANT, team);
      var payload = Http.json(fact.value());
      assertThat(payload.get("cause").asString()).isEqualTo(cause);
      assertThat(payload.get("willAttemptRetry").asBoolean())
          .isEqualTo(failedEvent.path("details").path("will_attempt_retry").asBoolean());
      assertThat(payload.get("amount").asLong()).isEqualTo(1200);

      // An operator asks where GoCardless's failure event went: billing-service applied it and
      // published PaymentFailed, committed where a consumer read it.
      String operator =
          world.issuer.teamToken("operations", BillingWorld.AUDIENCE, "operations:read");
      String timelineUrl = url("/operations/timeline?q=" + failedEvent.path("id").asString());
      var timeline =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> Http.get(timelineUrl, operator),
                  r -> r.status() == 200 && r.body().contains("\"kafka-record\""));
      var kinds = new java.util.ArrayList<String>();
      timeline.json().path("steps").forEach(step -> kinds.add(step.path("kind").asString()));
      assertThat(kinds).containsSubsequence("consumed", "outbox-written", "kafka-record");
      var written =
          timeline.json().path("steps").get(kinds.indexOf("outbox-written")).path("detail");
      assertThat(written.path("eventType").asString()).isEqualTo("PaymentFailed");
      assertThat(written.path("key").asString()).isEqualTo(paymentId);
      assertThat(written.path("eventId").asString()).isEqualTo(fact.header(EventHeaders.ID));
      var record = timeline.json().path("steps").get(kinds.indexOf("kafka-record")).path("detail");
      assertThat(record.path("partition").asInt()).isEqualTo(fact.partition());
      assertThat(record.path("offset").asLong()).isEqualTo(fact.offset());
      assertThat(Http.get(timelineUrl, world.teamToken(team, "payments:read")).status())
          .isEqualTo(403);

      var retried = post(team, "/payments/" + paymentId + "/actions/retry", "{}");
      assertThat(retried.status()).as(retried.body()).isEqualTo(200);
      assertThat(retried.json().get("status").asString()).isEqualTo("pending_submission");
      deliverEventsOf(merchant.organisation());
      // A payment that is not failed cannot be retried (retry_failed).
      var again = post(team, "/payments/" + paymentId + "/actions/retry", "{}");
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.json().get("reason").asString()).isEqualTo("retry_failed");
    }
  }

  @Test
  void aPaymentIsCancelledBeforeSubmission() {
    var merchant = connectNewMerchant("team-d", "Team D Studio");
    String team = merchant.team();
    String mandateId = activeMandate(merchant, "Grace");
    try (var facts = KafkaTestConsumer.fromNow(Topics.BILLING_PAYMENT)) {
      String chargeDate = world.simulator.clock().today().plusDays(30).toString();
      var created =
          postWithKey(
              team,
              "/payments",
              UUID.randomUUID().toString(),
              "{\"mandateId\":\"%s\",\"amount\":900,\"currency\":\"GBP\",\"chargeDate\":\"%s\"}"
                  .formatted(mandateId, chargeDate));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String paymentId = created.json().get("id").asString();

      var cancelled = post(team, "/payments/" + paymentId + "/actions/cancel", "{}");
      assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
      assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
      // Only a payment pending submission can be cancelled (cancellation_failed).
      var twice = post(team, "/payments/" + paymentId + "/actions/cancel", "{}");
      assertThat(twice.status()).isEqualTo(409);
      assertThat(twice.json().get("reason").asString()).isEqualTo("cancellation_failed");

      deliverEventsOf(merchant.organisation());
      facts.await(
          r ->
              "PaymentCancelled".equals(r.header(EventHeaders.EVENT_TYPE))
                  && paymentId.equals(r.key()));
      // Another team's payment cannot be cancelled: it does not exist for them.
      assertThat(post("team-a", "/payments/" + paymentId + "/actions/cancel", "{}").status())
          .isEqualTo(404);
    }
  }

  @Test
  void aCreateWhoseCommitWasLostMakesOneResource() {
    var merchant = connectNewMerchant("team-e", "Team E Bakery");
    String team = merchant.team();
    var direct =
        GoCardlessClient.newBuilder(merchant.organisation().accessToken())
            .withBaseUrl(world.simulator.baseUrl())
            .build();
    // The state a crash between GoCardless's create and the service's commit leaves: GoCardless
    // holds a billing request made with the key the service derives, the service nothing.
    String key = "order-" + UUID.randomUUID();
    String derived =
        gocardless.idempotencyKey(
            merchant.organisation().organisationId(), "billing-request:" + team + ":" + key);
    var madeBeforeTheCrash =
        direct
            .billingRequests()
            .create()
            .withPaymentRequestAmount(1500)
            .withPaymentRequestCurrency("GBP")
            .withIdempotencyKey(derived)
            .execute();
    String body = "{\"merchantId\":\"%s\",\"paymentRequest\":{\"amount\":%d,\"currency\":\"GBP\"}}";

    var retried =
        postWithKey(team, "/billing-requests", key, body.formatted(merchant.merchantId(), 1500));
    assertThat(retried.status()).as(retried.body()).isEqualTo(201);
    assertThat(retried.json().get("id").asString()).isEqualTo(madeBeforeTheCrash.getId());
    assertThat(direct.billingRequests().list().execute().getItems()).hasSize(1);

    // The same situation, but the retry asks for something else: refused, nothing made.
    String otherKey = "order-" + UUID.randomUUID();
    direct
        .billingRequests()
        .create()
        .withPaymentRequestAmount(1500)
        .withPaymentRequestCurrency("GBP")
        .withIdempotencyKey(
            gocardless.idempotencyKey(
                merchant.organisation().organisationId(),
                "billing-request:" + team + ":" + otherKey))
        .execute();
    var different =
        postWithKey(
            team, "/billing-requests", otherKey, body.formatted(merchant.merchantId(), 9999));
    assertThat(different.status()).isEqualTo(422);
    assertThat(different.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/idempotency-key-reused");
    assertThat(direct.billingRequests().list().execute().getItems()).hasSize(2);
  }

  @Test
  void anEventReadBeforeItsMerchantsConnectionWaitsForIt() {
    // merchants.connection and gocardless.* are read independently: GoCardless's event of a
    // merchant
    // whose connection fact has not been read yet must not be lost.
    var organisation = world.simulator.createOrganisation("Team I Early Bird", "successful");
    var direct =
        GoCardlessClient.newBuilder(organisation.accessToken())
            .withBaseUrl(world.simulator.baseUrl())
            .build();
    var made =
        direct
            .billingRequests()
            .create()
            .withPaymentRequestAmount(700)
            .withPaymentRequestCurrency("GBP")
            .execute();
    deliverEventsOf(organisation);

    var merchant = connectMerchant("team-i", organisation);

    var view = projectedBillingRequest("team-i", made.getId());
    assertThat(view.get("merchantId").asString()).isEqualTo(merchant.merchantId());
    assertThat(view.path("paymentRequest").path("amount").asLong()).isEqualTo(700);
  }

  @Test
  void anOrganisationsEventsGoToItsConnectedMerchantThoughAnotherWasDisconnectedSince() {
    // Two merchants on one organisation: the connected one, and one whose connection ended after
    // it (a later fact). The organisation's events are the connected merchant's.
    var organisation = world.simulator.createOrganisation("Team K Dual", "successful");
    var merchant = connectMerchant("team-k", organisation);
    disconnectedMerchant("team-k", organisation);
    var made =
        GoCardlessClient.newBuilder(organisation.accessToken())
            .withBaseUrl(world.simulator.baseUrl())
            .build()
            .billingRequests()
            .create()
            .withPaymentRequestAmount(900)
            .withPaymentRequestCurrency("GBP")
            .execute();
    deliverEventsOf(organisation);

    var view = projectedBillingRequest("team-k", made.getId());
    assertThat(view.get("merchantId").asString()).isEqualTo(merchant.merchantId());
  }

  /**
   * The team's view of a billing request, once billing-service has projected it from its events.
   */
  private JsonNode projectedBillingRequest(String team, String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Http.get(url("/billing-requests/" + id), writer(team)).status() == 200);
    return get(team, "/billing-requests/" + id);
  }
}
