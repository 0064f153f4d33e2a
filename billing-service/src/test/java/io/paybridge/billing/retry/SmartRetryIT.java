package io.paybridge.billing.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.billing.PaymentFact.PaymentFailed;
import io.paybridge.platform.events.gocardless.BankCalendar;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.simulator.SimulatedOrganisation;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Smart retries on the simulator's clock. The cohort: payers of the simulator's {@code Payday}
 * model (their collections fail for insufficient funds unless charged from the last working day of
 * a month to four days after it), whose earlier collections succeeded; one merchant with smart
 * retries, one whose team retries every failure at once (GoCardless's next possible date) up to
 * GoCardless's limit of 3. Which retry is ever issued is counted at the simulator (its {@code
 * resubmission_requested} events from the API): an effect a second retry would double.
 */
class SmartRetryIT extends BillingIntegrationTest {

  private static final String TEAM = "team-retries";
  private static final BankCalendar BACS = BankCalendar.of("bacs");

  @Autowired RetryDecisions decisions;
  @Autowired TransactionTemplate transactions;
  @Autowired DataSource dataSource;

  @Test
  void aCohortOfPaydayPayersRecoversMoreOnTheChosenDatesThanWithImmediateRetries() {
    var smart = connectNewMerchant(TEAM, "Smart Retries Gym");
    var immediate = connectNewMerchant(TEAM, "Immediate Retries Gym");
    var policy =
        Http.putJson(
            url("/retry-policies/" + smart.merchantId()),
            writer(TEAM),
            "{\"enabled\":true,\"maxRetries\":3,\"windowDays\":21}");
    assertThat(policy.status()).as(policy.body()).isEqualTo(200);
    assertThat(policy.json().path("enabled").asBoolean()).isTrue();

    int payers = 4;
    var smartRequests = startMandates(smart, "Payday", payers);
    var immediateRequests = startMandates(immediate, "Payday", payers);
    List<String> smartMandates = activated(smart, smartRequests);
    List<String> immediateMandates = activated(immediate, immediateRequests);

    // Each payer's earlier collection, on a payday or the working day after: they succeed.
    LocalDate payday = lastWorkingDay(world.simulator.clock().today().plusDays(8));
    if (payday.isBefore(world.simulator.clock().today().plusDays(8))) {
      payday = lastWorkingDay(payday.plusMonths(1));
    }
    List<String> smartHistory = new ArrayList<>();
    for (int i = 0; i < payers; i++) {
      LocalDate collected = i % 2 == 0 ? payday : BACS.addWorkingDays(payday, 1);
      smartHistory.add(payment(smart, smartMandates.get(i), collected));
      payment(immediate, immediateMandates.get(i), collected);
    }
    // Then one collection each in the middle of the next month: they fail.
    LocalDate nextMonth = payday.plusDays(10);
    List<String> smartFailing = new ArrayList<>();
    List<String> immediateFailing = new ArrayList<>();
    for (int i = 0; i < payers; i++) {
      LocalDate midMonth = BACS.rollForward(nextMonth.withDayOfMonth(9 + 3 * i));
      smartFailing.add(payment(smart, smartMandates.get(i), midMonth));
      immediateFailing.add(payment(immediate, immediateMandates.get(i), midMonth));
    }
    world.simulator.clock().advanceTo(BACS.addWorkingDays(payday, 4));
    deliverEventsOf(smart.organisation());
    for (String id : smartHistory) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(TEAM, "/payments/" + id).equals("paid_out"));
    }

    // Day by day to past the next payday: the team of the immediate merchant retries each failure
    // at once.
    LocalDate end = lastWorkingDay(nextMonth).plusDays(8);
    int[] immediateRetries = new int[payers];
    int handled = 0;
    boolean previewed = false;
    while (world.simulator.clock().today().isBefore(end)) {
      world.simulator.clock().advance(Duration.ofDays(1));
      for (int i = 0; i < payers; i++) {
        String id = immediateFailing.get(i);
        if ("failed".equals(simulatorStatus(immediate.organisation(), "payments", id))
            && immediateRetries[i] < 3) {
          var retried = post(TEAM, "/payments/" + id + "/actions/retry", "{}");
          assertThat(retried.status()).as(retried.body()).isEqualTo(200);
          immediateRetries[i]++;
        }
      }
      int failures = failedEvents(smart.organisation());
      if (failures > handled) {
        deliverEventsOf(smart.organisation());
        int expected = failures;
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    jdbc.queryForObject(
                            "select count(*) from payment_retry_decision where merchant_id = ?"
                                + " and issue_state is distinct from 'scheduled'",
                            Integer.class,
                            smart.merchantId())
                        == expected);
        handled = failures;
        if (!previewed) {
          previewed = true;
          previewMatchesTheRecordedDecision(smartFailing);
        }
      }
    }

    int smartRecovered = recovered(smart.organisation(), smartFailing);
    int immediateRecovered = recovered(immediate.organisation(), immediateFailing);
    int smartRetries =
        smartFailing.stream().mapToInt(id -> apiRetries(smart.organisation(), id).size()).sum();
    System.out.printf(
        "Smart retries: %d of %d failed payments recovered with %d retries on dates chosen from"
            + " history; immediate retries: %d of %d recovered with %d retries%n",
        smartRecovered,
        payers,
        smartRetries,
        immediateRecovered,
        payers,
        java.util.Arrays.stream(immediateRetries).sum());
    assertThat(smartRecovered).isGreaterThan(immediateRecovered);

    // The decisions with their reasons, for the team.
    var listed = get(TEAM, "/retry-decisions?merchantId=" + smart.merchantId());
    assertThat(listed).isNotEmpty();
    listed.forEach(
        d -> {
          assertThat(d.path("outcome").asString()).isEqualTo("scheduled");
          assertThat(d.path("reason").asString()).isEqualTo("payer_history");
          assertThat(d.path("issueState").asString()).isEqualTo("issued");
          assertThat(d.path("explanation").asString()).isNotBlank();
        });
    // Another team sees none of them, nor the policy.
    assertThat(Http.get(url("/retry-decisions"), writer("team-other")).json()).isEmpty();
    assertThat(
            Http.get(url("/retry-policies/" + smart.merchantId()), writer("team-other")).status())
        .isEqualTo(404);
  }

  private void previewMatchesTheRecordedDecision(List<String> payments) {
    for (String id : payments) {
      var recorded = get(TEAM, "/retry-decisions?paymentId=" + id);
      if (recorded.isEmpty() || !"failed".equals(status(TEAM, "/payments/" + id))) {
        continue;
      }
      var preview = get(TEAM, "/payments/" + id + "/retry-decision");
      assertThat(preview.path("recorded").path("chargeDate").asString())
          .isEqualTo(recorded.get(0).path("chargeDate").asString());
      assertThat(preview.path("decision").path("chargeDate").asString())
          .isEqualTo(recorded.get(0).path("chargeDate").asString());
      assertThat(preview.path("policy").path("maxRetries").asInt()).isEqualTo(3);
      return;
    }
  }

  @Test
  void noRetryForWhatARetryCannotFixOrWhenGoCardlessRetriesAndOneRetryPerFailure()
      throws Exception {
    var merchant = connectNewMerchant(TEAM, "Edge Cases Gym");
    String mandateId = activeMandate(merchant, "Penniless");
    // The API: described, limits, scopes, another team.
    assertThat(Http.get(url("/v3/api-docs"), null).json().get("paths").propertyNames())
        .contains(
            "/retry-policies/{merchantId}", "/payments/{id}/retry-decision", "/retry-decisions");
    var tooMany =
        Http.putJson(
            url("/retry-policies/" + merchant.merchantId()),
            writer(TEAM),
            "{\"enabled\":true,\"maxRetries\":4}");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().path("type").asString()).endsWith("/invalid-retry-policy");
    assertThat(
            Http.putJson(
                    url("/retry-policies/" + merchant.merchantId()),
                    world.teamToken(TEAM, "payments:read"),
                    "{\"enabled\":true}")
                .status())
        .isEqualTo(403);
    assertThat(
            Http.putJson(
                    url("/retry-policies/" + merchant.merchantId()),
                    writer("team-other"),
                    "{\"enabled\":true}")
                .status())
        .isEqualTo(404);
    assertThat(get(TEAM, "/retry-policies/" + merchant.merchantId()).path("enabled").asBoolean())
        .isFalse();
    var on =
        Http.putJson(
            url("/retry-policies/" + merchant.merchantId()),
            writer(TEAM),
            "{\"enabled\":true,\"maxRetries\":3,\"windowDays\":5}");
    assertThat(on.status()).as(on.body()).isEqualTo(200);

    // Payments that really failed at GoCardless (so a retry asked for any of them would be made
    // there); their own failed events are never delivered here: the failures below are the only
    // ones this service hears of.
    List<String> payments = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      var created =
          postWithKey(
              TEAM,
              "/payments",
              UUID.randomUUID().toString(),
              "{\"mandateId\":\"%s\",\"amount\":1500,\"currency\":\"GBP\"}".formatted(mandateId));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      payments.add(created.json().get("id").asString());
    }
    var notFailed = Http.get(url("/payments/" + payments.get(0) + "/retry-decision"), writer(TEAM));
    assertThat(notFailed.status()).isEqualTo(409);
    assertThat(notFailed.json().path("type").asString()).endsWith("/payment-not-failed");
    for (String id : payments) {
      advanceUntilAtGoCardless(merchant.organisation(), "payments", id, "failed");
    }

    try (var facts = KafkaTestConsumer.fromNow(Topics.BILLING_PAYMENT)) {
      // Causes GoCardless documents (API.md §5.3) that a retry cannot fix, and a failure
      // GoCardless retries itself (Success+).
      List<String> causes =
          List.of(
              "bank_account_closed",
              "mandate_cancelled",
              "authorisation_disputed",
              "invalid_bank_details");
      List<String> declined = new ArrayList<>();
      for (int i = 0; i < causes.size(); i++) {
        declined.add(failed(merchant, payments.get(i), mandateId, causes.get(i), false));
      }
      declined.add(failed(merchant, payments.get(4), mandateId, "insufficient_funds", true));

      // A retryable failure, delivered twice, and decided by two replicas at the same time.
      String retried = payments.get(5);
      var retryable = failure(merchant, retried, mandateId, "insufficient_funds", false);
      var start = new CountDownLatch(1);
      List<CompletableFuture<Void>> replicas = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        replicas.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  transactions.executeWithoutResult(s -> decisions.onFailure(retryable));
                }));
      }
      publish(retryable);
      start.countDown();
      publish(retryable);
      CompletableFuture.allOf(replicas.toArray(CompletableFuture[]::new)).get();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "issued".equals(issueState(retryable.gocardlessEventId())));
      // The scheduled fact again (a redelivery with a new id), then a last failure of the payment
      // as the marker of its partition: once that is decided, everything before it was applied.
      var scheduled =
          facts.await(
              r ->
                  "PaymentRetryScheduled".equals(r.header(EventHeaders.EVENT_TYPE))
                      && retried.equals(r.key()));
      world.events.send(
          Topics.BILLING_PAYMENT,
          retried,
          scheduled.value(),
          Map.of(
              EventHeaders.ID,
              UUID.randomUUID().toString(),
              EventHeaders.EVENT_TYPE,
              "PaymentRetryScheduled",
              EventHeaders.TENANT,
              TEAM));
      String marker = failed(merchant, retried, mandateId, "insufficient_funds", true);
      // A declined failure's decision is its end: with no scheduled retry nothing can be issued.
      for (String id : declined) {
        await().atMost(Duration.ofSeconds(30)).until(() -> decided(id));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> decided(marker));

      var reasons = new ArrayList<String>();
      for (int i = 0; i < 5; i++) {
        var listed = get(TEAM, "/retry-decisions?paymentId=" + payments.get(i));
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("outcome").asString()).isEqualTo("declined");
        reasons.add(listed.get(0).path("reason").asString());
        // At GoCardless: no retry of any of them.
        assertThat(apiRetries(merchant.organisation(), payments.get(i))).isEmpty();
      }
      assertThat(reasons)
          .containsExactly(
              "cause_not_retryable",
              "cause_not_retryable",
              "cause_not_retryable",
              "cause_not_retryable",
              "gocardless_will_retry");
      var ofRetried = get(TEAM, "/retry-decisions?paymentId=" + retried);
      assertThat(ofRetried).hasSize(2);
      assertThat(ofRetried.findValuesAsString("outcome"))
          .containsExactlyInAnyOrder("scheduled", "declined");

      // At GoCardless: one retry of the retryable failure, whatever the duplicates.
      var retries = apiRetries(merchant.organisation(), retried);
      assertThat(retries).hasSize(1);
      assertThat(retries.get(0).path("metadata").path(RetryIssuer.FAILURE_METADATA).asString())
          .isEqualTo(retryable.gocardlessEventId());
      // On Kafka: one fact per failure.
      var published =
          facts.readPastMarker(
              dataSource,
              Topics.BILLING_PAYMENT,
              r ->
                  payments.contains(r.key())
                      // The service's records (its relay adds the CloudEvents headers), not the
                      // test's redelivery.
                      && r.header("ce_source") != null
                      && r.header(EventHeaders.EVENT_TYPE).startsWith("PaymentRetry"),
              Duration.ofSeconds(30));
      assertThat(published)
          .filteredOn(r -> "PaymentRetryScheduled".equals(r.header(EventHeaders.EVENT_TYPE)))
          .hasSize(1);
      assertThat(published)
          .filteredOn(r -> "PaymentRetryDeclined".equals(r.header(EventHeaders.EVENT_TYPE)))
          .hasSize(6);
    }
  }

  private String issueState(String failureEventId) {
    return jdbc
        .queryForList(
            "select issue_state from payment_retry_decision where failure_event_id = ?",
            String.class,
            failureEventId)
        .stream()
        .findFirst()
        .orElse(null);
  }

  private boolean decided(String failureEventId) {
    return jdbc.queryForObject(
            "select count(*) from payment_retry_decision where failure_event_id = ?",
            Integer.class,
            failureEventId)
        == 1;
  }

  private PaymentFailed failure(
      Connected merchant, String paymentId, String mandateId, String cause, boolean gcRetries) {
    return new PaymentFailed(
        merchant.merchantId(),
        TEAM,
        merchant.organisation().organisationId(),
        paymentId,
        mandateId,
        1500,
        "GBP",
        cause,
        "ARUDD-0",
        "Constructed failure",
        gcRetries,
        world.simulator.clock().now(),
        "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase());
  }

  /** Publishes a failure as billing-service's projection would; its GoCardless event id. */
  private String failed(
      Connected merchant, String paymentId, String mandateId, String cause, boolean gcRetries) {
    var fact = failure(merchant, paymentId, mandateId, cause, gcRetries);
    publish(fact);
    return fact.gocardlessEventId();
  }

  private void publish(PaymentFailed fact) {
    world.events.send(
        Topics.BILLING_PAYMENT,
        fact.paymentId(),
        mapper.writeValueAsString(fact),
        Map.of(
            EventHeaders.ID,
            UUID.randomUUID().toString(),
            EventHeaders.EVENT_TYPE,
            "PaymentFailed",
            EventHeaders.TENANT,
            TEAM,
            EventHeaders.ORGANISATION_ID,
            fact.organisationId()));
  }

  private List<String> startMandates(Connected merchant, String givenName, int count) {
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      var created =
          postWithKey(
              merchant.team(),
              "/billing-requests",
              UUID.randomUUID().toString(),
              "{\"merchantId\":\"%s\",\"mandateRequest\":{\"scheme\":\"bacs\",\"currency\":\"GBP\"}}"
                  .formatted(merchant.merchantId()));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String id = created.json().get("id").asString();
      completeBillingRequest(merchant.team(), id, givenName);
      requests.add(id);
    }
    return requests;
  }

  private List<String> activated(Connected merchant, List<String> billingRequests) {
    for (String id : billingRequests) {
      String mandate = simulatorMandateOf(merchant.organisation(), id);
      advanceUntil(merchant.organisation(), "mandates", mandate, "active");
    }
    List<String> mandates = new ArrayList<>();
    for (String id : billingRequests) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !get(merchant.team(), "/billing-requests/" + id).path("mandateId").isNull());
      String mandateId =
          get(merchant.team(), "/billing-requests/" + id).path("mandateId").asString();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(merchant.team(), "/mandates/" + mandateId).equals("active"));
      mandates.add(mandateId);
    }
    return mandates;
  }

  private String payment(Connected merchant, String mandateId, LocalDate chargeDate) {
    var created =
        postWithKey(
            merchant.team(),
            "/payments",
            UUID.randomUUID().toString(),
            "{\"mandateId\":\"%s\",\"amount\":2500,\"currency\":\"GBP\",\"chargeDate\":\"%s\"}"
                .formatted(mandateId, chargeDate));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asString();
  }

  private int failedEvents(SimulatedOrganisation organisation) {
    return simulatorGet(organisation, "/events?resource_type=payments&action=failed&limit=500")
        .path("events")
        .size();
  }

  /** The payment's retries asked through the API, as GoCardless's events list them. */
  private List<JsonNode> apiRetries(SimulatedOrganisation organisation, String paymentId) {
    List<JsonNode> retries = new ArrayList<>();
    simulatorGet(
            organisation,
            "/events?payment=" + paymentId + "&action=resubmission_requested&limit=500")
        .path("events")
        .forEach(
            e -> {
              if ("api".equals(e.path("details").path("origin").asString())) {
                retries.add(e);
              }
            });
    return retries;
  }

  private int recovered(SimulatedOrganisation organisation, List<String> payments) {
    return (int)
        payments.stream()
            .map(id -> simulatorStatus(organisation, "payments", id))
            .filter(s -> s.equals("confirmed") || s.equals("paid_out"))
            .count();
  }

  private static LocalDate lastWorkingDay(LocalDate inMonth) {
    LocalDate day = inMonth.withDayOfMonth(inMonth.lengthOfMonth());
    while (!BACS.isWorkingDay(day)) {
      day = day.minusDays(1);
    }
    return day;
  }
}
