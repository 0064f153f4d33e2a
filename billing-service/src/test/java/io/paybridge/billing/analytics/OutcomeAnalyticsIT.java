package io.paybridge.billing.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.events.billing.BillingRequestFact.BillingRequestCreated;
import io.paybridge.platform.events.billing.BillingRequestFact.BillingRequestFulfilled;
import io.paybridge.platform.events.billing.MandateFact.MandateActive;
import io.paybridge.platform.events.billing.PaymentFact.PaymentCancelled;
import io.paybridge.platform.events.billing.PaymentFact.PaymentChargedBack;
import io.paybridge.platform.events.billing.PaymentFact.PaymentConfirmed;
import io.paybridge.platform.events.billing.PaymentFact.PaymentCreated;
import io.paybridge.platform.events.billing.PaymentFact.PaymentFailed;
import io.paybridge.platform.events.billing.PaymentFact.PaymentPaidOut;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.http.Http;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import tools.jackson.databind.JsonNode;

/**
 * Outcome analytics from a known set of facts, as billing-service publishes them on billing.*:
 * every expected figure below is worked out by hand from the facts (see the comments), never read
 * from the code. The same facts are delivered to a second team's merchant shuffled, each twice,
 * some a third time as a new record: the figures are the same (a duplicate would double them), and
 * each team sees only its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutcomeAnalyticsIT extends BillingIntegrationTest {

  private static final String FROM = "2026-03-02";
  private static final String TO = "2026-03-08";
  private static final String QUERY = "/analytics/outcomes?from=" + FROM + "&to=" + TO;

  private static final AtomicInteger IDS = new AtomicInteger();

  @Autowired AnalyticsMetrics gauges;
  @LocalManagementPort int managementPort;

  Connected inOrder;
  Connected shuffled;
  Connected monthsInOrder;
  Connected monthsShuffled;

  @BeforeAll
  void deliver() throws Exception {
    inOrder = connectNewMerchant("team-analytics-a", "Analytics A");
    shuffled = connectNewMerchant("team-analytics-b", "Analytics B");

    // In order of time, except that some facts come before the ones they follow (as Kafka may
    // deliver facts of different resources or a late-published creation).
    var a = facts(inOrder);
    var outOfOrder = new ArrayList<Sent>();
    for (var fact : a) {
      outOfOrder.add(new Sent(fact, UUID.randomUUID().toString()));
    }
    // P2's confirmation before its failure and its creation; MD1 active before BR1 exists.
    moveToFront(outOfOrder, "PaymentConfirmed", "PM2");
    moveToFront(outOfOrder, "MandateActive", "MD1");

    var deliveries = duplicatedAndShuffled(facts(shuffled), 13);

    monthsInOrder = connectNewMerchant("team-analytics-d", "Analytics D");
    monthsShuffled = connectNewMerchant("team-analytics-e", "Analytics E");

    outOfOrder.forEach(this::send);
    deliveries.forEach(this::send);
    monthFacts(monthsInOrder).forEach(f -> send(new Sent(f, UUID.randomUUID().toString())));
    duplicatedAndShuffled(monthFacts(monthsShuffled), 17).forEach(this::send);
    awaitConsumedToTheEnd();
  }

  /**
   * Each fact twice under one id (a redelivery), every third a third time as a new record (a fact
   * published twice), shuffled.
   */
  private static List<Sent> duplicatedAndShuffled(List<BillingFact> facts, long seed) {
    var deliveries = new ArrayList<Sent>();
    for (var fact : facts) {
      String id = UUID.randomUUID().toString();
      deliveries.add(new Sent(fact, id));
      deliveries.add(new Sent(fact, id));
    }
    for (int i = 0; i < facts.size(); i += 3) {
      deliveries.add(new Sent(facts.get(i), UUID.randomUUID().toString()));
    }
    Collections.shuffle(deliveries, new Random(seed));
    return deliveries;
  }

  @Test
  void figuresOfAKnownSetOfFactsAreThoseWorkedOutByHand() {
    assertFigures(get(inOrder.team(), QUERY), inOrder);
  }

  @Test
  void shuffledAndDuplicatedFactsGiveTheSameFigures() {
    var report = get(shuffled.team(), QUERY);
    assertFigures(report, shuffled);
    assertThat(report.path("current").toString())
        .isEqualTo(get(inOrder.team(), QUERY).path("current").toString());
  }

  @Test
  void filtersNarrowTheFigures() {
    // P8 is the only sepa_core / EUR payment: collected.
    var eur = get(inOrder.team(), QUERY + "&currency=EUR").path("current").path("payments");
    assertThat(eur.path("created").asLong()).isEqualTo(1);
    assertThat(eur.path("successRate").asDouble()).isEqualTo(1.0);
    var sepa =
        get(inOrder.team(), QUERY + "&scheme=sepa_core&merchantId=" + inOrder.merchantId())
            .path("current");
    assertThat(sepa.path("payments").path("created").asLong()).isEqualTo(1);
    // No billing request asked for a sepa_core mandate.
    assertThat(sepa.path("mandateSetup").path("requested").asLong()).isZero();
    // P3 (120.00) is the only payment of 100.00 to 999.99: failed.
    var band = get(inOrder.team(), QUERY + "&amountBand=100_1000").path("current");
    assertThat(band.path("payments").path("created").asLong()).isEqualTo(1);
    assertThat(band.path("payments").path("failed").asLong()).isEqualTo(1);
    assertThat(band.path("payments").path("successRate").asDouble()).isEqualTo(0.0);
    // Weeks start on Monday: 2026-03-02 is one; every payment of the period is in its week.
    var weeks = get(inOrder.team(), QUERY + "&period=week").path("series");
    assertThat(weeks).hasSize(1);
    assertThat(weeks.get(0).path("start").asString()).isEqualTo("2026-03-02");
    assertThat(weeks.get(0).path("created").asLong()).isEqualTo(9);
  }

  /**
   * A range that starts and ends mid-month and spans whole months: 2025-06-20..2025-09-10 (83 days;
   * June's and September's ends are read by day, July and August as whole months), previous period
   * 2025-03-29..2025-06-19 (March's end and June's start by day, April and May as months). The
   * months at both ends also hold payments outside the range (Q7 on 09-11, Q8 on 06-05 in the
   * previous period, Q10 on 03-28 before it): reading a month where only some of its days are asked
   * for would count them.
   */
  private static final String MONTHS_QUERY =
      "/analytics/outcomes?from=2025-06-20&to=2025-09-10&period=month";

  @Test
  void aRangeOfWholeMonthsAndDaysAtBothEndsHasTheFiguresWorkedOutByHand() {
    assertMonthFigures(get(monthsInOrder.team(), MONTHS_QUERY));
  }

  @Test
  void aRangeOfWholeMonthsAndDaysIsTheSameAfterShuffledAndDuplicatedDelivery() {
    var report = get(monthsShuffled.team(), MONTHS_QUERY);
    assertMonthFigures(report);
    assertThat(report.path("current").toString())
        .isEqualTo(get(monthsInOrder.team(), MONTHS_QUERY).path("current").toString());
    assertThat(report.path("previous").toString())
        .isEqualTo(get(monthsInOrder.team(), MONTHS_QUERY).path("previous").toString());
  }

  @Test
  void aSeriesByWeekOverTheSameRangeHasTheSameTotals() {
    // By week the current period is read by day only; its totals are those of the month query.
    var report = get(monthsShuffled.team(), MONTHS_QUERY.replace("period=month", "period=week"));
    var payments = report.path("current").path("payments");
    assertThat(payments.path("created").asLong()).isEqualTo(5);
    assertThat(payments.path("collected").asLong()).isEqualTo(3);
    assertThat(payments.path("failed").asLong()).isEqualTo(2);
    long created = 0;
    for (var point : report.path("series")) {
      created += point.path("created").asLong();
    }
    assertThat(created).isEqualTo(5);
    assertThat(report.path("previous").path("payments").path("created").asLong()).isEqualTo(4);
  }

  /**
   * The figures of {@link #monthFacts}, by hand. Current (06-20..09-10): Q2 06-20 2200 collected,
   * Q3 06-30 2300 failed (insufficient funds), Q4 07-01 2400 collected, Q5 08-31 2500 failed (refer
   * to payer), Q6 09-10 2600 collected. Previous (03-29..06-19): Q11 03-29 3100 collected, Q9 05-15
   * 2900 collected, Q8 06-05 2800 failed (insufficient funds), Q1 06-19 2100 collected. Outside
   * both: Q10 03-28, Q7 09-11. Billing requests: R2 07-15 fulfilled, its mandate active (current);
   * R1 04-10 requested only (previous); R3 09-11 outside.
   */
  private void assertMonthFigures(JsonNode report) {
    var current = report.path("current");
    var payments = current.path("payments");
    assertThat(payments.path("created").asLong()).isEqualTo(5);
    assertThat(payments.path("collected").asLong()).isEqualTo(3);
    assertThat(payments.path("failed").asLong()).isEqualTo(2);
    assertThat(payments.path("successRate").asDouble()).isEqualTo(0.6); // 3/5
    var gbp = byKey(current.path("amounts"), "currency").get("GBP");
    assertThat(gbp.path("created").asLong()).isEqualTo(2200 + 2300 + 2400 + 2500 + 2600);
    assertThat(gbp.path("collected").asLong()).isEqualTo(2200 + 2400 + 2600);
    assertThat(gbp.path("failed").asLong()).isEqualTo(2300 + 2500);
    var failures = byKey(current.path("failuresByCause"), "cause");
    assertThat(failures).hasSize(2);
    assertThat(failures.get("insufficient_funds").path("failures").asLong()).isEqualTo(1); // Q3
    assertThat(failures.get("refer_to_payer").path("failures").asLong()).isEqualTo(1); // Q5
    var setup = current.path("mandateSetup");
    assertThat(setup.path("requested").asLong()).isEqualTo(1);
    assertThat(setup.path("fulfilled").asLong()).isEqualTo(1);
    assertThat(setup.path("active").asLong()).isEqualTo(1);

    // By month: June Q2 + Q3, July Q4, August Q5, September Q6.
    var series = report.path("series");
    assertThat(series).hasSize(4);
    assertThat(series.get(0).path("start").asString()).isEqualTo("2025-06-01");
    assertThat(series.get(0).path("created").asLong()).isEqualTo(2);
    assertThat(series.get(0).path("collected").asLong()).isEqualTo(1);
    assertThat(series.get(0).path("failed").asLong()).isEqualTo(1);
    assertThat(series.get(1).path("start").asString()).isEqualTo("2025-07-01");
    assertThat(series.get(1).path("created").asLong()).isEqualTo(1);
    assertThat(series.get(1).path("collected").asLong()).isEqualTo(1);
    assertThat(series.get(2).path("start").asString()).isEqualTo("2025-08-01");
    assertThat(series.get(2).path("created").asLong()).isEqualTo(1);
    assertThat(series.get(2).path("failed").asLong()).isEqualTo(1);
    assertThat(series.get(3).path("start").asString()).isEqualTo("2025-09-01");
    assertThat(series.get(3).path("created").asLong()).isEqualTo(1);
    assertThat(series.get(3).path("collected").asLong()).isEqualTo(1);

    var previous = report.path("previous");
    assertThat(previous.path("from").asString()).isEqualTo("2025-03-29");
    assertThat(previous.path("to").asString()).isEqualTo("2025-06-19");
    var before = previous.path("payments");
    assertThat(before.path("created").asLong()).isEqualTo(4);
    assertThat(before.path("collected").asLong()).isEqualTo(3);
    assertThat(before.path("failed").asLong()).isEqualTo(1);
    var gbpBefore = byKey(previous.path("amounts"), "currency").get("GBP");
    assertThat(gbpBefore.path("created").asLong()).isEqualTo(3100 + 2900 + 2800 + 2100);
    assertThat(gbpBefore.path("collected").asLong()).isEqualTo(3100 + 2900 + 2100);
    var failuresBefore = previous.path("failuresByCause");
    assertThat(failuresBefore).hasSize(1);
    assertThat(failuresBefore.get(0).path("cause").asString()).isEqualTo("insufficient_funds");
    assertThat(failuresBefore.get(0).path("failures").asLong()).isEqualTo(1); // Q8
    assertThat(previous.path("mandateSetup").path("requested").asLong()).isEqualTo(1); // R1
    assertThat(previous.path("mandateSetup").path("fulfilled").asLong()).isZero();
  }

  /**
   * The facts {@link #assertMonthFigures} works from: all GBP Bacs, each payment its own amount.
   */
  private List<BillingFact> monthFacts(Connected merchant) {
    String m = merchant.merchantId();
    String t = merchant.team();
    String o = merchant.organisation().organisationId();
    var d = new Ids(m.substring(0, 8).toUpperCase());
    var facts = new ArrayList<BillingFact>();
    collectedOrFailed(facts, m, t, o, d, "PM1", 2100, "2025-06-19T10:00:00Z", null);
    collectedOrFailed(facts, m, t, o, d, "PM2", 2200, "2025-06-20T08:00:00Z", null);
    collectedOrFailed(facts, m, t, o, d, "PM3", 2300, "2025-06-30T23:00:00Z", "insufficient_funds");
    collectedOrFailed(facts, m, t, o, d, "PM4", 2400, "2025-07-01T00:30:00Z", null);
    collectedOrFailed(facts, m, t, o, d, "PM5", 2500, "2025-08-31T22:00:00Z", "refer_to_payer");
    collectedOrFailed(facts, m, t, o, d, "PM6", 2600, "2025-09-10T12:00:00Z", null);
    collectedOrFailed(facts, m, t, o, d, "PM7", 2700, "2025-09-11T09:00:00Z", null);
    collectedOrFailed(facts, m, t, o, d, "PM8", 2800, "2025-06-05T10:00:00Z", "insufficient_funds");
    collectedOrFailed(facts, m, t, o, d, "PM9", 2900, "2025-05-15T10:00:00Z", null);
    collectedOrFailed(facts, m, t, o, d, "PM10", 3000, "2025-03-28T10:00:00Z", null);
    collectedOrFailed(facts, m, t, o, d, "PM11", 3100, "2025-03-29T10:00:00Z", null);
    facts.add(
        new BillingRequestCreated(
            m, t, o, d.br("BR1"), true, "bacs", at("2025-04-10T09:00:00Z"), d.ev()));
    facts.add(
        new BillingRequestCreated(
            m, t, o, d.br("BR2"), true, "bacs", at("2025-07-15T09:00:00Z"), d.ev()));
    facts.add(
        new BillingRequestFulfilled(
            m, t, o, d.br("BR2"), d.md("MD2"), null, at("2025-07-15T09:30:00Z"), d.ev()));
    facts.add(new MandateActive(m, t, o, d.md("MD2"), at("2025-07-18T09:00:00Z"), d.ev()));
    facts.add(
        new BillingRequestCreated(
            m, t, o, d.br("BR3"), true, "bacs", at("2025-09-11T09:00:00Z"), d.ev()));
    facts.add(
        new BillingRequestFulfilled(
            m, t, o, d.br("BR3"), d.md("MD3"), null, at("2025-09-11T09:30:00Z"), d.ev()));
    return facts;
  }

  /**
   * A payment created at {@code created}, confirmed 72 h later, or failed then with {@code cause}.
   */
  private static void collectedOrFailed(
      List<BillingFact> facts,
      String m,
      String t,
      String o,
      Ids d,
      String name,
      long amount,
      String created,
      String cause) {
    created(facts, m, t, o, d.pm(name), amount, "GBP", "bacs", created, d);
    String later = at(created).plus(Duration.ofHours(72)).toString();
    facts.add(
        cause == null
            ? confirmed(m, t, o, d.pm(name), amount, "GBP", later, d)
            : failed(m, t, o, d.pm(name), amount, cause, "ARUDD-0", false, later, d));
  }

  @Test
  void aTeamSeesOnlyItsOwnMerchants() {
    var response =
        Http.get(url(QUERY + "&merchantId=" + inOrder.merchantId()), writer(shuffled.team()));
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().path("type").asString())
        .isEqualTo("https://paybridge.io/problems/merchant-not-found");
    // A team without facts sees nothing, not the others' figures.
    var none = get("team-analytics-none", QUERY).path("current").path("payments");
    assertThat(none.path("created").asLong()).isZero();
    assertThat(none.path("successRate").isNull()).isTrue();
  }

  @Test
  void badFiltersAreProblems() {
    for (String bad :
        List.of(
            "/analytics/outcomes?period=year",
            "/analytics/outcomes?from=2026-03-09&to=2026-03-02",
            "/analytics/outcomes?from=yesterday",
            "/analytics/outcomes?amountBand=huge",
            "/analytics/outcomes?currency=pounds",
            "/analytics/outcomes?from=2024-01-01&to=2026-03-01",
            "/analytics/outcomes?from=2025-01-01&to=2026-03-01&period=day")) {
      var response = Http.get(url(bad), writer(inOrder.team()));
      assertThat(response.status()).as(bad).isEqualTo(400);
      assertThat(response.json().path("type").asString())
          .as(bad)
          .isEqualTo("https://paybridge.io/problems/invalid-analytics-filter");
    }
    // Without payments:read the API is closed.
    var noScope = Http.get(url(QUERY), world.teamToken(inOrder.team(), "notifications:read"));
    assertThat(noScope.status()).isEqualTo(403);
  }

  @Test
  void theFiguresAreGaugesWithBoundedLabels() throws Exception {
    var merchant = connectNewMerchant("team-analytics-c", "Analytics C");
    String m = merchant.merchantId();
    String t = merchant.team();
    String o = merchant.organisation().organisationId();
    var d = new Ids(m.substring(0, 8).toUpperCase());
    // Five payments created an hour ago (inside the gauges' 30-day window): four collected, one
    // failed. Success ratio 4 / 5.
    Instant created = Instant.now().minus(Duration.ofHours(1));
    var facts = new ArrayList<BillingFact>();
    for (int i = 1; i <= 5; i++) {
      String payment = d.pm("PM" + i);
      facts.add(
          new PaymentCreated(m, t, o, payment, null, 2500, "GBP", "bacs", null, created, d.ev()));
      facts.add(
          i <= 4
              ? new PaymentConfirmed(
                  m, t, o, payment, null, 2500, "GBP", created.plusSeconds(60), d.ev())
              : failed(
                  m,
                  t,
                  o,
                  payment,
                  2500,
                  "insufficient_funds",
                  "ARUDD-0",
                  false,
                  created.plusSeconds(60).toString(),
                  d));
    }
    facts.forEach(f -> send(new Sent(f, UUID.randomUUID().toString())));
    awaitConsumedToTheEnd();
    gauges.refresh();

    String body =
        Http.get("http://127.0.0.1:" + managementPort + "/actuator/prometheus", null).body();
    assertThat(body)
        .contains(
            "paybridge_billing_analytics_payments{merchant=\""
                + m
                + "\",outcome=\"collected\",service=\"billing-service\"} 4.0")
        .contains(
            "paybridge_billing_analytics_payments{merchant=\""
                + m
                + "\",outcome=\"failed\",service=\"billing-service\"} 1.0")
        .contains(
            "paybridge_billing_analytics_success_ratio{merchant=\""
                + m
                + "\",service=\"billing-service\"} 0.8")
        // Created to confirmed: 60 s, in the first bucket (up to 1 h).
        .contains(
            "paybridge_billing_analytics_time_to_confirmed_seconds{merchant=\""
                + m
                + "\",quantile=\"0.5\",service=\"billing-service\"} 3600.0");
    // Bounded: at most the top merchants, "other" and "all"; never a payment id.
    var merchants =
        body.lines()
            .filter(l -> l.startsWith("paybridge_billing_analytics_"))
            .map(l -> l.replaceAll(".*merchant=\"([^\"]*)\".*", "$1"))
            .filter(v -> !v.startsWith("paybridge_"))
            .collect(java.util.stream.Collectors.toSet());
    assertThat(merchants).contains("all", m).hasSizeLessThanOrEqualTo(20 + 2);
    assertThat(body.lines().filter(l -> l.startsWith("paybridge_billing_analytics_")))
        .noneMatch(l -> l.contains("\"PM"));
  }

  /**
   * The figures of {@link #facts}, by hand. Period 2026-03-02..08: P1..P9 created. Latest outcome:
   * collected P1, P2, P4, P8 (4); failed P3, P6 (2); charged back P5 (1); cancelled P7; pending P9.
   * With an outcome: 7. Previous period 2026-02-23..03-01: P10 collected, P11 failed.
   */
  private void assertFigures(JsonNode report, Connected merchant) {
    var current = report.path("current");
    var payments = current.path("payments");
    assertThat(payments.path("created").asLong()).isEqualTo(9);
    assertThat(payments.path("collected").asLong()).isEqualTo(4);
    assertThat(payments.path("failed").asLong()).isEqualTo(2);
    assertThat(payments.path("chargedBack").asLong()).isEqualTo(1);
    assertThat(payments.path("cancelled").asLong()).isEqualTo(1);
    assertThat(payments.path("pending").asLong()).isEqualTo(1);
    assertThat(payments.path("successRate").asDouble()).isEqualTo(0.5714); // 4/7
    assertThat(payments.path("failureRate").asDouble()).isEqualTo(0.2857); // 2/7
    assertThat(payments.path("lateFailures").asLong()).isEqualTo(1); // P6
    assertThat(payments.path("lateFailureRate").asDouble()).isEqualTo(0.1429); // 1/7
    assertThat(payments.path("chargebacks").asLong()).isEqualTo(1); // P5
    assertThat(payments.path("chargebackRate").asDouble()).isEqualTo(0.1429);

    // GBP: six of 25.00, P3 120.00, P5 5.00; EUR: P8 50.00.
    var amounts = byKey(current.path("amounts"), "currency");
    assertThat(amounts.get("EUR").path("created").asLong()).isEqualTo(5000);
    assertThat(amounts.get("EUR").path("collected").asLong()).isEqualTo(5000);
    var gbp = amounts.get("GBP");
    assertThat(gbp.path("created").asLong()).isEqualTo(6 * 2500 + 12000 + 500);
    assertThat(gbp.path("collected").asLong()).isEqualTo(3 * 2500); // P1, P2, P4
    assertThat(gbp.path("failed").asLong()).isEqualTo(12000 + 2500); // P3, P6
    assertThat(gbp.path("chargedBack").asLong()).isEqualTo(500); // P5
    assertThat(gbp.path("recoveredByGoCardless").asLong()).isEqualTo(2500); // P2
    assertThat(gbp.path("recoveredByPayBridge").asLong()).isEqualTo(2500); // P4

    // Failure facts: P2 and P4 insufficient funds, P3 refer to payer, P6 account closed (late).
    var failures = current.path("failuresByCause");
    assertThat(failures).hasSize(3);
    assertThat(failures.get(0).path("cause").asString()).isEqualTo("insufficient_funds");
    assertThat(failures.get(0).path("reasonCode").asString()).isEqualTo("ARUDD-0");
    assertThat(failures.get(0).path("failures").asLong()).isEqualTo(2);
    assertThat(failures.get(0).path("rate").asDouble()).isEqualTo(0.2857);
    assertThat(failures.get(1).path("cause").asString()).isEqualTo("bank_account_closed");
    assertThat(failures.get(1).path("reasonCode").asString()).isEqualTo("ARUDD-B");
    assertThat(failures.get(2).path("cause").asString()).isEqualTo("refer_to_payer");
    assertThat(failures.get(2).path("failures").asLong()).isEqualTo(1);

    // Failed before a confirmation: P2, P3, P4; confirmed later: P2 (GoCardless said it would
    // retry), P4 (it said it would not: PayBridge's retry).
    var recovery = current.path("recovery");
    assertThat(recovery.path("failedPayments").asLong()).isEqualTo(3);
    assertThat(recovery.path("recovered").asLong()).isEqualTo(2);
    assertThat(recovery.path("rate").asDouble()).isEqualTo(0.6667);
    assertThat(recovery.path("recoveredByGoCardless").asLong()).isEqualTo(1);
    assertThat(recovery.path("rateByGoCardless").asDouble()).isEqualTo(0.3333);
    assertThat(recovery.path("recoveredByPayBridge").asLong()).isEqualTo(1);

    // Creation to first confirmation: P1, P5, P6, P8 72 h; P2 192 h and P4 216 h, both in the
    // bucket up to 216 h. Nearest rank of 6: p50 = 3rd (72 h), p90 = p99 = 6th (216 h).
    var confirmed = current.path("timeToConfirmed");
    assertThat(confirmed.path("payments").asLong()).isEqualTo(6);
    assertThat(confirmed.path("p50Seconds").asLong()).isEqualTo(72 * 3600);
    assertThat(confirmed.path("p90Seconds").asLong()).isEqualTo(216 * 3600);
    assertThat(confirmed.path("p99Seconds").asLong()).isEqualTo(216 * 3600);
    // Only P1 was paid out, 120 h after its creation.
    var paidOut = current.path("timeToPaidOut");
    assertThat(paidOut.path("payments").asLong()).isEqualTo(1);
    assertThat(paidOut.path("p50Seconds").asLong()).isEqualTo(120 * 3600);

    // BR1, BR2, BR3 ask for a mandate (BR4 only for a payment); BR1, BR2 fulfilled; MD1 active.
    var funnel = current.path("mandateSetup");
    assertThat(funnel.path("requested").asLong()).isEqualTo(3);
    assertThat(funnel.path("fulfilled").asLong()).isEqualTo(2);
    assertThat(funnel.path("active").asLong()).isEqualTo(1);
    assertThat(funnel.path("fulfilmentRate").asDouble()).isEqualTo(0.6667);
    assertThat(funnel.path("activationRate").asDouble()).isEqualTo(0.5);
    assertThat(funnel.path("conversionRate").asDouble()).isEqualTo(0.3333);

    var previous = report.path("previous");
    assertThat(previous.path("from").asString()).isEqualTo("2026-02-23");
    assertThat(previous.path("to").asString()).isEqualTo("2026-03-01");
    assertThat(previous.path("payments").path("created").asLong()).isEqualTo(2);
    assertThat(previous.path("payments").path("successRate").asDouble()).isEqualTo(0.5);
    var trend = report.path("trend");
    assertThat(trend.path("createdChange").asDouble()).isEqualTo(3.5); // (9 - 2) / 2
    assertThat(trend.path("successRate").asDouble()).isEqualTo(0.0714); // 0.5714 - 0.5
    assertThat(trend.path("failureRate").asDouble()).isEqualTo(-0.2143); // 0.2857 - 0.5
    assertThat(trend.path("recoveryRate").asDouble()).isEqualTo(0.6667); // 2/3 - 0/1
    assertThat(trend.path("mandateConversionRate").isNull()).isTrue(); // none before

    // By creation day: 03-02 P1 P2; 03-03 P3 P4; 03-04 P5 P6; 03-05 P7 P8; 03-06 P9.
    var series = report.path("series");
    assertThat(series).hasSize(5);
    assertThat(series.get(0).path("start").asString()).isEqualTo("2026-03-02");
    assertThat(series.get(0).path("collected").asLong()).isEqualTo(2);
    assertThat(series.get(1).path("successRate").asDouble()).isEqualTo(0.5);
    assertThat(series.get(2).path("chargedBack").asLong()).isEqualTo(1);
    assertThat(series.get(2).path("successRate").asDouble()).isEqualTo(0.0);
    assertThat(series.get(4).path("created").asLong()).isEqualTo(1);
    assertThat(series.get(4).path("successRate").isNull()).isTrue();
    assertThat(report.path("filter").path("merchantId").isNull()).isTrue();
    assertThat(merchant.team()).isNotBlank();
  }

  /** The known facts of one merchant; ids are the merchant's own so two merchants never share. */
  private List<BillingFact> facts(Connected merchant) {
    String m = merchant.merchantId();
    String t = merchant.team();
    String o = merchant.organisation().organisationId();
    String s = merchant.merchantId().substring(0, 8).toUpperCase().replace("-", "");
    var facts = new ArrayList<BillingFact>();
    var d = new Ids(s);
    // P1: collected 72 h after creation, paid out at 120 h.
    created(facts, m, t, o, d.pm("PM1"), 2500, "GBP", "bacs", "2026-03-02T10:00:00Z", d);
    facts.add(confirmed(m, t, o, d.pm("PM1"), 2500, "GBP", "2026-03-05T10:00:00Z", d));
    facts.add(
        new PaymentPaidOut(
            m, t, o, d.pm("PM1"), null, 2500, "GBP", "PO1", at("2026-03-07T10:00:00Z"), d.ev()));
    // P2: failed, GoCardless retries (Success+), confirmed 192 h after creation.
    created(facts, m, t, o, d.pm("PM2"), 2500, "GBP", "bacs", "2026-03-02T10:00:00Z", d);
    facts.add(
        failed(
            m,
            t,
            o,
            d.pm("PM2"),
            2500,
            "insufficient_funds",
            "ARUDD-0",
            true,
            "2026-03-05T10:00:00Z",
            d));
    facts.add(confirmed(m, t, o, d.pm("PM2"), 2500, "GBP", "2026-03-10T10:00:00Z", d));
    // P3: 120.00, failed, never collected.
    created(facts, m, t, o, d.pm("PM3"), 12000, "GBP", "bacs", "2026-03-03T09:00:00Z", d);
    facts.add(
        failed(
            m,
            t,
            o,
            d.pm("PM3"),
            12000,
            "refer_to_payer",
            "ARUDD-0",
            false,
            "2026-03-06T09:00:00Z",
            d));
    // P4: failed, GoCardless does not retry; PayBridge's retry confirmed 216 h after creation.
    created(facts, m, t, o, d.pm("PM4"), 2500, "GBP", "bacs", "2026-03-03T09:00:00Z", d);
    facts.add(
        failed(
            m,
            t,
            o,
            d.pm("PM4"),
            2500,
            "insufficient_funds",
            "ARUDD-0",
            false,
            "2026-03-06T09:00:00Z",
            d));
    facts.add(confirmed(m, t, o, d.pm("PM4"), 2500, "GBP", "2026-03-12T09:00:00Z", d));
    // P5: 5.00, confirmed at 72 h, then charged back.
    created(facts, m, t, o, d.pm("PM5"), 500, "GBP", "bacs", "2026-03-04T08:00:00Z", d);
    facts.add(confirmed(m, t, o, d.pm("PM5"), 500, "GBP", "2026-03-07T08:00:00Z", d));
    facts.add(
        new PaymentChargedBack(
            m,
            t,
            o,
            d.pm("PM5"),
            null,
            500,
            "GBP",
            "authorisation_disputed",
            "DDICA-1",
            "The customer disputed having authorised the payment.",
            at("2026-03-20T08:00:00Z"),
            d.ev()));
    // P6: confirmed at 72 h, then a late failure.
    created(facts, m, t, o, d.pm("PM6"), 2500, "GBP", "bacs", "2026-03-04T08:00:00Z", d);
    facts.add(confirmed(m, t, o, d.pm("PM6"), 2500, "GBP", "2026-03-07T08:00:00Z", d));
    facts.add(
        failed(
            m,
            t,
            o,
            d.pm("PM6"),
            2500,
            "bank_account_closed",
            "ARUDD-B",
            false,
            "2026-03-09T08:00:00Z",
            d));
    // P7: cancelled before submission.
    created(facts, m, t, o, d.pm("PM7"), 2500, "GBP", "bacs", "2026-03-05T12:00:00Z", d);
    facts.add(
        new PaymentCancelled(
            m,
            t,
            o,
            d.pm("PM7"),
            null,
            2500,
            "GBP",
            "payment_cancelled",
            at("2026-03-05T13:00:00Z"),
            d.ev()));
    // P8: SEPA in EUR, confirmed at 72 h.
    created(facts, m, t, o, d.pm("PM8"), 5000, "EUR", "sepa_core", "2026-03-05T12:00:00Z", d);
    facts.add(confirmed(m, t, o, d.pm("PM8"), 5000, "EUR", "2026-03-08T12:00:00Z", d));
    // P9: created, nothing yet.
    created(facts, m, t, o, d.pm("PM9"), 2500, "GBP", "bacs", "2026-03-06T12:00:00Z", d);
    // The previous week: P10 collected, P11 failed (not recovered).
    created(facts, m, t, o, d.pm("PM10"), 2500, "GBP", "bacs", "2026-02-25T10:00:00Z", d);
    facts.add(confirmed(m, t, o, d.pm("PM10"), 2500, "GBP", "2026-02-28T10:00:00Z", d));
    created(facts, m, t, o, d.pm("PM11"), 2500, "GBP", "bacs", "2026-02-26T10:00:00Z", d);
    facts.add(
        failed(
            m,
            t,
            o,
            d.pm("PM11"),
            2500,
            "insufficient_funds",
            "ARUDD-0",
            false,
            "2026-03-01T10:00:00Z",
            d));

    // Mandate set-up: BR1 fulfilled, MD1 active; BR2 fulfilled, MD2 not active; BR3 open; BR4 a
    // payment only.
    facts.add(
        new BillingRequestCreated(
            m, t, o, d.br("BR1"), true, "bacs", at("2026-03-02T09:00:00Z"), d.ev()));
    facts.add(
        new BillingRequestFulfilled(
            m, t, o, d.br("BR1"), d.md("MD1"), null, at("2026-03-02T09:30:00Z"), d.ev()));
    facts.add(new MandateActive(m, t, o, d.md("MD1"), at("2026-03-05T09:00:00Z"), d.ev()));
    facts.add(
        new BillingRequestCreated(
            m, t, o, d.br("BR2"), true, "bacs", at("2026-03-03T09:00:00Z"), d.ev()));
    facts.add(
        new BillingRequestFulfilled(
            m, t, o, d.br("BR2"), d.md("MD2"), null, at("2026-03-03T09:30:00Z"), d.ev()));
    facts.add(
        new BillingRequestCreated(
            m, t, o, d.br("BR3"), true, "bacs", at("2026-03-04T09:00:00Z"), d.ev()));
    facts.add(
        new BillingRequestCreated(
            m, t, o, d.br("BR4"), false, null, at("2026-03-04T09:00:00Z"), d.ev()));
    return facts;
  }

  /**
   * GoCardless-like ids of one merchant's facts (a prefix of the merchant's id keeps them apart).
   */
  private static final class Ids {
    private final String prefix;
    private final Map<String, String> named = new HashMap<>();

    Ids(String prefix) {
      this.prefix = prefix;
    }

    String pm(String name) {
      return named.computeIfAbsent(name, n -> n.substring(0, 2) + prefix + n.substring(2));
    }

    String br(String name) {
      return named.computeIfAbsent(name, n -> "BRQ" + prefix + n.substring(2));
    }

    String md(String name) {
      return named.computeIfAbsent(name, n -> n.substring(0, 2) + prefix + n.substring(2));
    }

    String ev() {
      return "EV" + prefix + String.format("%06d", IDS.incrementAndGet());
    }
  }

  private static void created(
      List<BillingFact> facts,
      String m,
      String t,
      String o,
      String paymentId,
      long amount,
      String currency,
      String scheme,
      String at,
      Ids ids) {
    facts.add(
        new PaymentCreated(
            m,
            t,
            o,
            paymentId,
            null,
            amount,
            currency,
            scheme,
            LocalDate.parse(at.substring(0, 10)).plusDays(3),
            at(at),
            ids.ev()));
  }

  private static PaymentConfirmed confirmed(
      String m,
      String t,
      String o,
      String paymentId,
      long amount,
      String currency,
      String at,
      Ids ids) {
    return new PaymentConfirmed(m, t, o, paymentId, null, amount, currency, at(at), ids.ev());
  }

  private static PaymentFailed failed(
      String m,
      String t,
      String o,
      String paymentId,
      long amount,
      String cause,
      String reasonCode,
      boolean willAttemptRetry,
      String at,
      Ids ids) {
    return new PaymentFailed(
        m,
        t,
        o,
        paymentId,
        null,
        amount,
        "GBP",
        cause,
        reasonCode,
        "The payment failed.",
        willAttemptRetry,
        at(at),
        ids.ev());
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  private record Sent(BillingFact fact, String id) {}

  private static void moveToFront(List<Sent> sent, String type, String resourceSuffix) {
    for (int i = 0; i < sent.size(); i++) {
      var fact = sent.get(i).fact();
      if (fact.eventType().equals(type)
          && fact.resourceId().endsWith(resourceSuffix.substring(2))
          && fact.resourceId().startsWith(resourceSuffix.substring(0, 2))) {
        sent.addFirst(sent.remove(i));
        return;
      }
    }
    throw new IllegalArgumentException("No " + type + " of " + resourceSuffix);
  }

  private void send(Sent sent) {
    var fact = sent.fact();
    world.events.send(
        fact.topic(),
        fact.resourceId(),
        mapper.writeValueAsString(fact),
        Map.of(
            EventHeaders.ID, sent.id(),
            EventHeaders.EVENT_TYPE, fact.eventType(),
            EventHeaders.TENANT, fact.team(),
            EventHeaders.ORGANISATION_ID, fact.organisationId()));
  }

  /**
   * Until the analytics consumer has applied everything sent so far: a marker record (a type the
   * consumer records as applied and leaves out of the figures) on every partition of its three
   * topics, sent after the facts; a partition is read in order, so once its marker is recorded in
   * {@code consumed_message} every record before it has been applied.
   */
  private void awaitConsumedToTheEnd() throws Exception {
    var markers = new ArrayList<String>();
    try (var admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    EmbeddedKafkaServer.shared().bootstrapServers()));
        var producer =
            new KafkaProducer<String, String>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    EmbeddedKafkaServer.shared().bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
      var topics = List.of("billing.payment", "billing.mandate", "billing.billing-request");
      var descriptions = admin.describeTopics(topics).allTopicNames().get();
      for (String topic : topics) {
        for (var partition : descriptions.get(topic).partitions()) {
          String id = UUID.randomUUID().toString();
          var record =
              new ProducerRecord<String, String>(topic, partition.partition(), "marker", "{}");
          record.headers().add(EventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
          record
              .headers()
              .add(EventHeaders.EVENT_TYPE, "AnalyticsTestMarker".getBytes(StandardCharsets.UTF_8));
          producer.send(record).get();
          markers.add(id);
        }
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                jdbc.queryForObject(
                        "select count(*) from consumed_message where consumer = ? and event_id = any(?)",
                        Integer.class,
                        AnalyticsEventsListener.CONSUMER,
                        markers.toArray(String[]::new))
                    == markers.size());
  }

  private static Map<String, JsonNode> byKey(JsonNode array, String field) {
    var map = new HashMap<String, JsonNode>();
    array.forEach(n -> map.put(n.path(field).asString(), n));
    return map;
  }
}
