package io.paybridge.billing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.KafkaTestConsumer.Received;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

/**
 * A poll's GoCardless events applied in one transaction: duplicates and out-of-order events of one
 * resource inside the poll, a poison record among good ones, a commit that fails after the
 * projection ran. The listener is stopped while a test publishes, so that its records reach it in
 * one poll. Statuses expected are GoCardless's (docs/gocardless/API.md §4.3: a payment goes
 * pending_submission → submitted → confirmed → paid_out, each with its event); facts are read to a
 * known end (a marker through the outbox).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionBatchIT extends BillingIntegrationTest {

  private static final String DLT = Topics.GOCARDLESS_PAYMENTS + ".billing-service.dlt";
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @Autowired KafkaListenerEndpointRegistry listeners;

  Connected merchant;

  @BeforeAll
  void connect() {
    merchant = connectNewMerchant("team-batch", "Batch Shop");
  }

  @Test
  void duplicatesAndOutOfOrderEventsOfAPaymentInOnePollGiveTheInOrderStateAndEachFactOnce()
      throws Exception {
    String shuffled = newPayment();
    String inOrder = newPayment();
    try (var facts = KafkaTestConsumer.fromNow(Topics.BILLING_PAYMENT)) {
      // The reference: the same events, one at a time and in order.
      for (String action : List.of("submitted", "confirmed", "paid_out")) {
        String id = world.events.publish(event(inOrder, action, at(action)));
        awaitConsumed(id);
      }
      var submitted = event(shuffled, "submitted", at("submitted"));
      var confirmed = event(shuffled, "confirmed", at("confirmed"));
      var paidOut = event(shuffled, "paid_out", at("paid_out"));
      inOnePoll(
          () ->
              List.of(paidOut, submitted, confirmed, paidOut, submitted, confirmed)
                  .forEach(world.events::publish));

      awaitConsumed(
          submitted.path("id").asString(),
          confirmed.path("id").asString(),
          paidOut.path("id").asString());
      // One poll, one transaction: the three events were recorded by the same one.
      assertThat(
              transactionsThatRecorded(
                  submitted.path("id").asString(),
                  confirmed.path("id").asString(),
                  paidOut.path("id").asString()))
          .isEqualTo(1);
      assertThat(row(shuffled)).isEqualTo(row(inOrder)).startsWith("paid_out ");
      var published = facts(facts, Set.of(shuffled, inOrder));
      assertThat(types(published, shuffled))
          .containsExactlyInAnyOrder("PaymentConfirmed", "PaymentPaidOut");
      assertThat(types(published, inOrder))
          .containsExactlyInAnyOrder("PaymentConfirmed", "PaymentPaidOut");
    }
  }

  @Test
  void aPoisonRecordInAPollIsDeadLetteredAloneAndItsNeighboursAppliedOnce() throws Exception {
    String before = newPayment();
    String after = newPayment();
    String poisonId = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    var confirmBefore = event(before, "confirmed", at("confirmed"));
    var confirmAfter = event(after, "confirmed", at("confirmed"));
    try (var facts = KafkaTestConsumer.fromNow(Topics.BILLING_PAYMENT);
        var deadLetters = KafkaTestConsumer.fromNow(DLT)) {
      inOnePoll(
          () -> {
            world.events.publish(confirmBefore);
            // Same partition as its neighbours' (one key), unreadable.
            world.events.send(
                Topics.GOCARDLESS_PAYMENTS,
                before,
                "{not json",
                Map.of(EventHeaders.ID, poisonId, EventHeaders.EVENT_TYPE, "payments.confirmed"));
            world.events.publish(event(before, "paid_out", at("paid_out")));
            world.events.publish(confirmAfter);
          });

      deadLetters.await(r -> poisonId.equals(r.header(EventHeaders.ID)), Duration.ofSeconds(60));
      awaitConsumed(confirmBefore.path("id").asString(), confirmAfter.path("id").asString());
      await().atMost(Duration.ofSeconds(60)).until(() -> row(before).startsWith("paid_out "));
      assertThat(row(after)).startsWith("confirmed ");
      assertThat(consumed(poisonId)).isZero();
      // Everything of the poll is applied: nothing more of it can reach the dead-letter topic.
      assertThat(
              deadLetters.readToEnd(
                  r ->
                      r.key() != null && Set.of(before, after).contains(r.key())
                          || poisonId.equals(r.header(EventHeaders.ID)),
                  Duration.ofSeconds(30)))
          .extracting(r -> r.header(EventHeaders.ID))
          .containsExactly(poisonId);
      var published = facts(facts, Set.of(before, after));
      assertThat(types(published, before))
          .containsExactlyInAnyOrder("PaymentConfirmed", "PaymentPaidOut");
      assertThat(types(published, after)).containsExactly("PaymentConfirmed");
    }
  }

  @Test
  void aPollWhoseCommitFailedAfterTheProjectionRanIsReappliedWithoutDoubledFacts()
      throws Exception {
    String first = newPayment();
    String crashing = newPayment();
    String last = newPayment();
    // A database failure at commit (serialization failure, retried as transient), after the
    // projection and the outbox were written: a deferred trigger on the crashing payment's row,
    // failing its first two commits (a sequence counts them: it is not rolled back).
    jdbc.execute("create sequence if not exists test_commit_failures");
    jdbc.execute("alter sequence test_commit_failures restart");
    jdbc.execute(
        """
        create or replace function test_fail_at_commit() returns trigger language plpgsql as $$
        begin
            if new.id = '%s' and nextval('test_commit_failures') <= 2 then
                raise exception 'simulated database failure at commit' using errcode = '40001';
            end if;
            return null;
        end;
        $$
        """
            .formatted(crashing));
    jdbc.execute(
        """
        create constraint trigger test_payment_fail_at_commit
            after insert or update on payment deferrable initially deferred
            for each row execute function test_fail_at_commit()
        """);
    var events = new ArrayList<JsonNode>();
    for (String payment : List.of(first, crashing, last)) {
      events.add(event(payment, "confirmed", at("confirmed")));
    }
    try (var facts = KafkaTestConsumer.fromNow(Topics.BILLING_PAYMENT)) {
      inOnePoll(() -> events.forEach(world.events::publish));

      awaitConsumed(events.stream().map(e -> e.path("id").asString()).toArray(String[]::new));
      // The commits did fail: the projection ran, was rolled back and ran again.
      assertThat(jdbc.queryForObject("select last_value from test_commit_failures", Long.class))
          .isGreaterThanOrEqualTo(2);
      for (String payment : List.of(first, crashing, last)) {
        assertThat(row(payment)).startsWith("confirmed ");
      }
      var published = facts(facts, Set.of(first, crashing, last));
      for (String payment : List.of(first, crashing, last)) {
        assertThat(types(published, payment)).containsExactly("PaymentConfirmed");
      }
    } finally {
      jdbc.execute("drop trigger if exists test_payment_fail_at_commit on payment");
    }
  }

  /**
   * Runs {@code publish} with the GoCardless events' listener stopped, then starts it: its first
   * fetch then finds every record published. (Pausing is not enough: a fetch already waiting at the
   * broker returns with the first record and is kept for after the pause.)
   */
  private void inOnePoll(Runnable publish) {
    var container = gocardlessListener();
    container.stop();
    try {
      publish.run();
    } finally {
      container.start();
    }
  }

  private MessageListenerContainer gocardlessListener() {
    return listeners.getAllListenerContainers().stream()
        .filter(
            c -> {
              var topics = c.getContainerProperties().getTopics();
              return topics != null && List.of(topics).contains(Topics.GOCARDLESS_PAYMENTS);
            })
        .findFirst()
        .orElseThrow();
  }

  /** A payment of the merchant in the projection, pending submission (its events need no fetch). */
  private String newPayment() {
    String id = "PM" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    jdbc.update(
        """
        insert into payment (id, merchant_id, team, organisation_id, mandate_id, status, amount, currency,
            view, created_at, updated_at, last_event_at)
        values (?, ?, ?, ?, 'MD000BATCH01', 'pending_submission', 1500, 'GBP', ?::jsonb, ?, ?, null)
        """,
        id,
        merchant.merchantId(),
        merchant.team(),
        merchant.organisation().organisationId(),
        """
        {"id":"%s","merchantId":"%s","status":"pending_submission","mandateId":"MD000BATCH01",
         "amount":1500,"currency":"GBP","createdAt":"%s"}
        """
            .formatted(id, merchant.merchantId(), T0),
        Timestamp.from(T0),
        Timestamp.from(T0));
    return id;
  }

  private static Instant at(String action) {
    return switch (action) {
      case "submitted" -> T0.plusSeconds(60);
      case "confirmed" -> T0.plusSeconds(120);
      case "paid_out" -> T0.plusSeconds(180);
      default -> throw new IllegalArgumentException(action);
    };
  }

  /** A payment event in GoCardless's shape (docs/gocardless/API.md §5.2). */
  private JsonNode event(String paymentId, String action, Instant createdAt) {
    String id = "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    String payout = action.equals("paid_out") ? ",\"payout\":\"PO000BATCH01\"" : "";
    return mapper.readTree(
        """
        {"id":"%s","created_at":"%s","resource_type":"payments","action":"%s",
         "links":{"payment":"%s","organisation":"%s"%s},
         "details":{"origin":"gocardless","cause":"payment_%s","description":"test"},"metadata":{}}
        """
            .formatted(
                id,
                createdAt,
                action,
                paymentId,
                merchant.organisation().organisationId(),
                payout,
                action));
  }

  /** Status and view of a payment, without its id (compared across payments). */
  private String row(String paymentId) {
    return jdbc.queryForObject(
        "select status || ' ' || (view - 'id')::text || ' ' || last_event_at from payment where id = ?",
        String.class,
        paymentId);
  }

  private void awaitConsumed(String... eventIds) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> java.util.Arrays.stream(eventIds).allMatch(id -> consumed(id) == 1));
  }

  private int transactionsThatRecorded(String... eventIds) {
    return jdbc.queryForObject(
        "select count(distinct xmin::text) from consumed_message"
            + " where consumer = 'billing-service' and event_id = any(?)",
        Integer.class,
        (Object) eventIds);
  }

  private int consumed(String eventId) {
    return jdbc.queryForObject(
        "select count(*) from consumed_message where consumer = 'billing-service' and event_id = ?",
        Integer.class,
        eventId);
  }

  private List<Received> facts(KafkaTestConsumer facts, Set<String> payments) {
    return facts.readPastMarker(
        jdbc.getDataSource(),
        Topics.BILLING_PAYMENT,
        r -> payments.contains(r.key()),
        Duration.ofSeconds(60));
  }

  private static List<String> types(List<Received> facts, String payment) {
    return facts.stream()
        .filter(r -> payment.equals(r.key()))
        .map(r -> r.header(EventHeaders.EVENT_TYPE))
        .toList();
  }
}
