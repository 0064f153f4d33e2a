package io.paybridge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.gocardless.GoCardless;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.logging.TraceLogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * PayBridge's part of PSD2 and of data minimisation (docs/psd2.md, docs/data-protection.md): a
 * payment says whether the payer takes part in it ({@code psu_interaction_type}, docs/gocardless
 * API.md §4.4: {@code in_session} or {@code off_session}); the payer's bank details and consent are
 * given only on GoCardless's hosted page; and the payer's name, email, address and account number,
 * which they type there, reach no log at TRACE, no {@code billing.*} record and no table.
 */
class PayerDataAndPsd2IT extends BillingIntegrationTest {

  @Autowired GoCardless gocardless;

  @Test
  void aPaymentOnAMandateIsOffSessionUnlessTheTeamSaysThePayerIsPresent() {
    var merchant = connectNewMerchant("team-psd2", "PSD2 Session Ltd");
    String mandateId = activeMandate(merchant, "Sol");

    var merchantInitiated =
        postWithKey(
            merchant.team(),
            "/payments",
            UUID.randomUUID().toString(),
            "{\"mandateId\":\"%s\",\"amount\":1500,\"currency\":\"GBP\"}".formatted(mandateId));
    assertThat(merchantInitiated.status()).as(merchantInitiated.body()).isEqualTo(201);
    var payerPresent =
        postWithKey(
            merchant.team(),
            "/payments",
            UUID.randomUUID().toString(),
            "{\"mandateId\":\"%s\",\"amount\":1500,\"currency\":\"GBP\",\"payerPresent\":true}"
                .formatted(mandateId));
    assertThat(payerPresent.status()).as(payerPresent.body()).isEqualTo(201);

    assertThat(world.simulator.psuInteractionTypeOf(merchantInitiated.json().get("id").asString()))
        .contains("off_session");
    assertThat(world.simulator.psuInteractionTypeOf(payerPresent.json().get("id").asString()))
        .contains("in_session");
  }

  @Test
  void thePayersBankDetailsAndConsentAreGivenOnlyOnTheHostedPage() {
    var merchant = connectNewMerchant("team-psd2", "PSD2 Hosted Ltd");
    String team = merchant.team();
    var created =
        postWithKey(
            team,
            "/billing-requests",
            UUID.randomUUID().toString(),
            """
            {"merchantId":"%s","mandateRequest":{"scheme":"bacs","currency":"GBP"}}
            """
                .formatted(merchant.merchantId()));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String billingRequestId = created.json().get("id").asString();

    var bankDetails =
        post(
            team,
            "/billing-requests/" + billingRequestId + "/actions/collect-bank-account",
            """
            {"accountHolderName":"Team Typed","branchCode":"200000","accountNumber":"55779911","countryCode":"GB"}
            """);
    var consent =
        post(
            team, "/billing-requests/" + billingRequestId + "/actions/confirm-payer-details", "{}");
    for (var refused : List.of(bankDetails, consent)) {
      assertThat(refused.status()).as(refused.body()).isEqualTo(403);
      assertThat(refused.json().get("type").asString())
          .isEqualTo("https://paybridge.io/problems/payer-step-on-hosted-page");
    }
    assertThat(status(team, "/billing-requests/" + billingRequestId))
        .as("GoCardless was not asked")
        .isEqualTo("pending");

    completeBillingRequest(team, billingRequestId, "Hana");
    deliverEventsOf(merchant.organisation());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(team, "/billing-requests/" + billingRequestId).equals("fulfilled"));
  }

  @Test
  void whatThePayerTypesOnTheHostedPageReachesNoLogNoFactAndNoTable() {
    // What SimulatedPayer types on the hosted page: a given name of this test's own, and the
    // simulator's family name, email, address and Bacs account number.
    String givenName = "Zephyrine";
    var payerData =
        List.of(givenName, "Osborne", "payer@example.com", "27 Acer Road", "E8 3GX", "55779911");
    List<String> logged;
    List<KafkaTestConsumer.Received> records;
    try (var facts = KafkaTestConsumer.fromNow(BillingFact.topics().toArray(String[]::new));
        var log = TraceLogCapture.start(Path.of("target", "billing-payer-data-trace.log"))) {
      var merchant = connectNewMerchant("team-payer", "Payer Data Ltd");
      String team = merchant.team();
      var created =
          postWithKey(
              team,
              "/billing-requests",
              UUID.randomUUID().toString(),
              """
              {"merchantId":"%s","paymentRequest":{"amount":2500,"currency":"GBP","description":"Plan"},
               "mandateRequest":{"scheme":"bacs","currency":"GBP"}}
              """
                  .formatted(merchant.merchantId()));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String billingRequestId = created.json().get("id").asString();
      completeBillingRequest(team, billingRequestId, givenName);
      deliverEventsOf(merchant.organisation());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(team, "/billing-requests/" + billingRequestId).equals("fulfilled"));
      var request = get(team, "/billing-requests/" + billingRequestId);
      String mandateId = request.path("mandateId").asString();
      String customerId = request.path("customerId").asString();
      var payment =
          postWithKey(
              team,
              "/payments",
              UUID.randomUUID().toString(),
              "{\"mandateId\":\"%s\",\"amount\":1200,\"currency\":\"GBP\"}".formatted(mandateId));
      assertThat(payment.status()).as(payment.body()).isEqualTo(201);
      String paymentId = payment.json().get("id").asString();
      advanceUntil(merchant.organisation(), "payments", paymentId, "paid_out");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(team, "/payments/" + paymentId).equals("paid_out"));
      facts.awaitCount(r -> paymentId.equals(r.key()), 2, Duration.ofSeconds(30));
      records = facts.received();
      log.close();
      try (var lines = log.lines()) {
        logged = lines.toList();
      }
      // GoCardless holds what the payer typed (read after the capture: this read is the test's).
      var customer =
          gocardless.once(merchant.merchantId(), c -> c.customers().get(customerId).execute());
      assertThat(customer.getGivenName()).isEqualTo(givenName);
      assertThat(customer.getEmail()).isEqualTo("payer@example.com");
      assertThat(logged)
          .as("billing-service's work is in the log at TRACE")
          .anyMatch(l -> l.startsWith("TRACE "))
          .anyMatch(l -> l.contains(billingRequestId));
      // The simulator runs in this JVM; GoCardless's own logs are not PayBridge's.
      assertThat(
              found(logged.stream().filter(l -> !l.contains("io.paybridge.simulator")), payerData))
          .as("payer data in billing-service's log at TRACE")
          .isEmpty();
      assertThat(records).isNotEmpty();
      assertThat(found(records.stream().map(r -> r.headers() + " " + r.value()), payerData))
          .as("payer data on billing topics")
          .isEmpty();
      var rows = new ArrayList<String>();
      for (String table :
          jdbc.queryForList(
              """
              select quote_ident(table_name) from information_schema.tables
              where table_type = 'BASE TABLE' and table_schema = current_schema()
              """,
              String.class)) {
        rows.addAll(jdbc.queryForList("select t::text from " + table + " t", String.class));
      }
      assertThat(rows).anyMatch(row -> row.contains(paymentId));
      assertThat(found(rows.stream(), payerData))
          .as("payer data in billing-service's tables")
          .isEmpty();
    }
  }

  private static List<String> found(Stream<String> text, List<String> values) {
    return text.filter(line -> values.stream().anyMatch(line::contains)).limit(5).toList();
  }
}
