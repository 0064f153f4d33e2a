package io.paybridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Refunds (never more than the payment in total), a subscription over several simulated months, an
 * instalment schedule, and their facts. Expected behaviour from docs/gocardless/API.md §4.5-4.7.
 */
class RefundsAndSchedulesIT extends BillingIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired private DataSource dataSource;

  @Test
  void aPaymentIsRefundedButNeverBeyondItsAmount() {
    var merchant = connectNewMerchant("team-f", "Team F Shop");
    String team = merchant.team();
    String mandateId = activeMandate(merchant, "Ada");
    var payment =
        postWithKey(
            team,
            "/payments",
            UUID.randomUUID().toString(),
            "{\"mandateId\":\"%s\",\"amount\":2000,\"currency\":\"GBP\"}".formatted(mandateId));
    assertThat(payment.status()).as(payment.body()).isEqualTo(201);
    String paymentId = payment.json().get("id").asString();
    // Only a confirmed or paid-out payment can be refunded.
    advanceUntil(merchant.organisation(), "payments", paymentId, "paid_out");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(team, "/payments/" + paymentId).equals("paid_out"));

    try (var facts = KafkaTestConsumer.fromNow(Topics.BILLING_REFUND)) {
      String key = "refund-" + UUID.randomUUID();
      String refund1500 =
          "{\"paymentId\":\"%s\",\"amount\":1500,\"reference\":\"partial\"}".formatted(paymentId);
      var first = postWithKey(team, "/refunds", key, refund1500);
      assertThat(first.status()).as(first.body()).isEqualTo(201);
      String refundId = first.json().get("id").asString();
      assertThat(first.json().get("amount").asLong()).isEqualTo(1500);
      // The same key again: the same refund, not a second one.
      var again = postWithKey(team, "/refunds", key, refund1500);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().get("id").asString()).isEqualTo(refundId);

      // 1500 + 600 > 2000: refused, nothing sent.
      var over =
          postWithKey(
              team,
              "/refunds",
              UUID.randomUUID().toString(),
              "{\"paymentId\":\"%s\",\"amount\":600}".formatted(paymentId));
      assertThat(over.status()).as(over.body()).isEqualTo(422);
      assertThat(over.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/refund-exceeds-payment");
      // Exactly the rest is allowed.
      var rest =
          postWithKey(
              team,
              "/refunds",
              UUID.randomUUID().toString(),
              "{\"paymentId\":\"%s\",\"amount\":500}".formatted(paymentId));
      assertThat(rest.status()).as(rest.body()).isEqualTo(201);
      long refundsAtGoCardless =
          world.eventsOf(merchant.organisation()).stream()
              .filter(e -> e.path("resource_type").asString().equals("refunds"))
              .filter(e -> e.path("action").asString().equals("created"))
              .count();
      assertThat(refundsAtGoCardless).isEqualTo(2);

      // Paid two working days later (refunds/paid): the projection and RefundPaid follow.
      advanceUntil(merchant.organisation(), "refunds", refundId, "paid");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(team, "/refunds/" + refundId).equals("paid"));
      var paid =
          facts.await(
              r ->
                  "RefundPaid".equals(r.header(EventHeaders.EVENT_TYPE))
                      && refundId.equals(r.key()));
      paid.hasHeader(EventHeaders.TENANT, team);
      assertThat(Http.json(paid.value()).get("amount").asLong()).isEqualTo(1500);
      assertThat(Http.json(paid.value()).get("paymentId").asString()).isEqualTo(paymentId);
      assertThat(Http.get(url("/refunds/" + refundId), writer("team-a")).status()).isEqualTo(404);
    }
  }

  @Test
  void aSubscriptionCollectsMonthAfterMonthUntilItsCount() {
    var merchant = connectNewMerchant("team-g", "Team G Gym");
    String team = merchant.team();
    String mandateId = activeMandate(merchant, "Grace");
    var facts = KafkaTestConsumer.fromNow(Topics.BILLING_SUBSCRIPTION);
    var created =
        postWithKey(
            team,
            "/subscriptions",
            UUID.randomUUID().toString(),
            """
            {"mandateId":"%s","amount":1000,"currency":"GBP","name":"Gym membership",
             "intervalUnit":"monthly","dayOfMonth":1,"count":3}
            """
                .formatted(mandateId));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String subscriptionId = created.json().get("id").asString();
    assertThat(created.json().get("status").asString()).isEqualTo("active");
    assertThat(created.json().get("upcomingPayments")).isNotEmpty();

    for (int month = 0; month < 4; month++) {
      world.simulator.clock().advance(Duration.ofDays(31));
    }
    deliverEventsOf(merchant.organisation());
    // Three payments, one a month, then finished (subscriptions/finished).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(team, "/subscriptions/" + subscriptionId).equals("finished"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get(team, "/payments?merchantId=" + merchant.merchantId() + "&status=paid_out")
                        .path("items")
                        .valueStream()
                        .filter(p -> subscriptionId.equals(p.path("subscriptionId").asString()))
                        .count()
                    == 3);

    // Its facts, each once (every event was delivered again by each deliverEventsOf), read to a
    // known end: created, a payment_created per payment GoCardless made, finished.
    try (facts) {
      var published =
          facts.readPastMarker(
              dataSource, Topics.BILLING_SUBSCRIPTION, r -> subscriptionId.equals(r.key()), WAIT);
      assertThat(published)
          .extracting(r -> r.header(EventHeaders.EVENT_TYPE))
          .containsExactly(
              "SubscriptionCreated",
              "SubscriptionPaymentCreated",
              "SubscriptionPaymentCreated",
              "SubscriptionPaymentCreated",
              "SubscriptionFinished");
      published.forEach(
          r -> {
            r.hasHeader(EventHeaders.TENANT, team);
            r.hasHeader(EventHeaders.ORGANISATION_ID, merchant.organisation().organisationId());
            var value = Http.json(r.value());
            assertThat(value.path("merchantId").asString()).isEqualTo(merchant.merchantId());
            assertThat(value.path("team").asString()).isEqualTo(team);
            assertThat(value.path("mandateId").asString()).isEqualTo(mandateId);
            assertThat(value.path("gocardlessEventId").asString()).startsWith("EV");
          });
      assertThat(Http.json(published.getFirst().value()).path("amount").asLong()).isEqualTo(1000);
      var paymentsAtGoCardless =
          world.eventsOf(merchant.organisation()).stream()
              .filter(e -> e.path("resource_type").asString().equals("subscriptions"))
              .filter(e -> e.path("action").asString().equals("payment_created"))
              .map(e -> e.path("links").path("payment").asString())
              .toList();
      assertThat(published.subList(1, 4))
          .extracting(r -> Http.json(r.value()).path("paymentId").asString())
          .containsExactlyInAnyOrderElementsOf(paymentsAtGoCardless);
    }
  }

  @Test
  void anInstalmentScheduleMakesItsPaymentsAndCanBeCancelled() {
    var merchant = connectNewMerchant("team-h", "Team H Furniture");
    String team = merchant.team();
    String mandateId = activeMandate(merchant, "Hedy");
    var today = world.simulator.clock().today();
    var facts = KafkaTestConsumer.fromNow(Topics.BILLING_INSTALMENT_SCHEDULE);
    var created =
        postWithKey(
            team,
            "/instalment-schedules",
            UUID.randomUUID().toString(),
            """
            {"mandateId":"%s","name":"Sofa","currency":"GBP","totalAmount":3000,
             "instalments":[{"chargeDate":"%s","amount":1500},{"chargeDate":"%s","amount":1500}]}
            """
                .formatted(mandateId, today.plusDays(20), today.plusDays(50)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String scheduleId = created.json().get("id").asString();
    assertThat(created.json().get("status").asString()).isEqualTo("active");
    assertThat(created.json().get("paymentIds")).hasSize(2);

    var cancelled = post(team, "/instalment-schedules/" + scheduleId + "/actions/cancel", "{}");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
    var twice = post(team, "/instalment-schedules/" + scheduleId + "/actions/cancel", "{}");
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().get("reason").asString()).isEqualTo("cancellation_failed");

    // Its payments not yet submitted are cancelled too (payments/cancelled events).
    deliverEventsOf(merchant.organisation());
    String firstPayment = created.json().get("paymentIds").get(0).asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(team, "/payments/" + firstPayment).equals("cancelled"));

    try (facts) {
      var published =
          facts.readPastMarker(
              dataSource,
              Topics.BILLING_INSTALMENT_SCHEDULE,
              r -> scheduleId.equals(r.key()),
              WAIT);
      assertThat(published)
          .extracting(r -> r.header(EventHeaders.EVENT_TYPE))
          .containsExactly("InstalmentScheduleCreated", "InstalmentScheduleCancelled");
      published.forEach(r -> r.hasHeader(EventHeaders.TENANT, team));
      var createdFact = Http.json(published.get(0).value());
      assertThat(createdFact.path("totalAmount").asLong()).isEqualTo(3000);
      assertThat(createdFact.path("currency").asString()).isEqualTo("GBP");
      assertThat(createdFact.path("mandateId").asString()).isEqualTo(mandateId);
      // Cancelled through the API: GoCardless's cause (API.md §5.3).
      assertThat(Http.json(published.get(1).value()).path("cause").asString())
          .isEqualTo("instalment_schedule_cancelled");
    }
  }
}
