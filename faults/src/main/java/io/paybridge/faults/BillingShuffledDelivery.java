package io.paybridge.faults;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.simulator.SimulatedOrganisation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 8: billing-service's consumers of {@code gocardless.*} given every event twice,
 * shuffled, end in the same projections as when given each event once in GoCardless's order, and
 * publish each billing fact once.
 *
 * <p>Two merchants of one team get the same histories at GoCardless (the simulator), case by case
 * and at the same simulated times: a billing request (payment + Bacs mandate) fulfilled and the
 * payment paid out, failed, or confirmed then failed late; a billing request cancelled; a mandate
 * activated with a monthly subscription of two payments that finishes, or one paused, resumed and
 * cancelled; an instalment schedule collected in full, or cancelled. Every case carries its label
 * in GoCardless metadata. The events are read from GoCardless's events API and published as
 * webhook-ingest-service publishes them: the reference merchant's each once in GoCardless's order
 * (one producer, so each resource's events keep it), the other's all twice in a shuffled order.
 *
 * <p>Pass, once the consumer group has committed past every record and a marker written to
 * billing-service's outbox after that has been read (the known end of the facts): for every case,
 * every resource of the pair has the same status and failure in billing-service's projection (its
 * API), the same billing facts by type, and each GoCardless event of the shuffled merchant gave at
 * most one fact of each type (a payment's failure gives two: {@code PaymentFailed} and the retry
 * decision, {@code PaymentRetryScheduled} or {@code PaymentRetryDeclined}, which carries the same
 * event's id); nothing was dead-lettered.
 */
final class BillingShuffledDelivery {

  private static final List<String> KINDS =
      List.of(
          "paid_out",
          "failed",
          "late_failure",
          "request_cancelled",
          "subscription_finished",
          "subscription_paused_resumed_cancelled",
          "instalments_completed",
          "instalments_cancelled");

  private final Stack stack;
  private final BillingStand stand;

  private BillingShuffledDelivery(Stack stack, BillingStand stand) {
    this.stack = stack;
    this.stand = stand;
  }

  static Verdict run(Stack stack) throws Exception {
    try (var stand = new BillingStand(stack, "scenario-8")) {
      return new BillingShuffledDelivery(stack, stand).run();
    } finally {
      stack.stopServices();
    }
  }

  private Verdict run() throws Exception {
    String name = "8 billing-service given every gocardless.* event twice, shuffled";
    FaultHarness.say("scenario %s", name);
    var details = new ArrayList<String>();
    stack.startAndAwait(stand.billing);
    var reference = stand.connect("Shuffle Reference");
    var shuffled = stand.connect("Shuffle Twice");
    var organisations = List.of(reference.organisation(), shuffled.organisation());
    var consumed =
        List.of(
            Topics.GOCARDLESS_BILLING_REQUESTS,
            Topics.GOCARDLESS_MANDATES,
            Topics.GOCARDLESS_PAYMENTS,
            Topics.GOCARDLESS_SUBSCRIPTIONS,
            Topics.GOCARDLESS_INSTALMENT_SCHEDULES,
            Topics.GOCARDLESS_REFUNDS);
    var deadLetters =
        consumed.stream().map(t -> Topics.deadLetter(t, BillingStand.BILLING)).toList();
    stack.kafka.createTopics(deadLetters);
    var dlt = new TopicAudit(stack.kafka.bootstrapServers(), deadLetters);

    int cases = KINDS.size() * stack.settings.merchantCases();
    for (int i = 0; i < cases; i++) {
      String kind = KINDS.get(i % KINDS.size());
      for (var organisation : organisations) {
        begin(organisation, "c" + i, kind);
      }
    }
    // Time passes at GoCardless: submissions, collections, the subscriptions' months.
    for (int step = 0; step < 9; step++) {
      stand.simulator.clock().advance(Duration.ofDays(10));
      if (step == 0) {
        for (int i = 0; i < cases; i++) {
          for (var organisation : organisations) {
            middle(organisation, "c" + i, KINDS.get(i % KINDS.size()));
          }
        }
      }
    }
    var referenceEvents = eventsOf(reference.organisation());
    var shuffledEvents = eventsOf(shuffled.organisation());
    FaultHarness.say(
        "  %d cases per merchant; %d events (reference), %d (shuffled)",
        cases, referenceEvents.size(), shuffledEvents.size());

    var ends = new HashMap<TopicPartition, Long>();
    long seed = System.nanoTime();
    try (var producer = IngestRecords.producer(stack.kafka.bootstrapServers())) {
      for (var event : referenceEvents) {
        var sent = producer.send(IngestRecords.record(event)).get(30, TimeUnit.SECONDS);
        ends.merge(
            new TopicPartition(sent.topic(), sent.partition()), sent.offset() + 1, Math::max);
      }
      var twice = new ArrayList<JsonNode>(shuffledEvents);
      twice.addAll(shuffledEvents);
      Collections.shuffle(twice, new Random(seed));
      for (var event : twice) {
        var sent = producer.send(IngestRecords.record(event)).get(30, TimeUnit.SECONDS);
        ends.merge(
            new TopicPartition(sent.topic(), sent.partition()), sent.offset() + 1, Math::max);
      }
    }
    details.add(
        String.format(
            "%d events once in order (reference), %d deliveries shuffled (seed %d)",
            referenceEvents.size(), 2 * shuffledEvents.size(), seed));
    // Only the topics billing-service reads (payouts and the others go to other consumers).
    ends.keySet().removeIf(partition -> !consumed.contains(partition.topic()));
    awaitConsumed(ends);
    var facts = readFacts();

    var labelsOfReference = labels(reference.organisation());
    var labelsOfShuffled = labels(shuffled.organisation());
    var differences = new ArrayList<String>();
    var referenceSummary = summary(reference.id(), labelsOfReference, facts);
    var shuffledSummary = summary(shuffled.id(), labelsOfShuffled, facts);
    for (var label : new java.util.TreeSet<>(referenceSummary.keySet())) {
      String inOrder = referenceSummary.get(label);
      String twice = shuffledSummary.get(label);
      if (!inOrder.equals(twice)) {
        differences.add(label + ": in order " + inOrder + " / shuffled " + twice);
      }
    }
    for (var label : shuffledSummary.keySet()) {
      if (!referenceSummary.containsKey(label)) {
        differences.add(label + ": only for the shuffled merchant");
      }
    }
    // One case of each history, as the reference merchant ended (the shuffled one's are the same
    // unless listed as differing).
    referenceSummary.entrySet().stream()
        .filter(
            e -> Integer.parseInt(e.getKey().substring(1, e.getKey().indexOf('/'))) < KINDS.size())
        .forEach(e -> details.add(e.getKey() + ": " + e.getValue()));
    // Each GoCardless event stands for one fact of a type at most, however often it was delivered.
    var factsPerEvent = new HashMap<String, Integer>();
    for (var fact : facts) {
      if (shuffled.id().equals(fact.merchantId())) {
        factsPerEvent.merge(fact.gocardlessEventId() + " " + fact.type(), 1, Integer::sum);
      }
    }
    long repeatedFacts = factsPerEvent.values().stream().filter(n -> n > 1).count();
    long shuffledFacts = facts.stream().filter(f -> shuffled.id().equals(f.merchantId())).count();
    long referenceFacts = facts.stream().filter(f -> reference.id().equals(f.merchantId())).count();
    long deadLettered = deadLetters.stream().mapToLong(dlt::recordsSince).sum();
    String figures =
        String.format(
            "%d resources per merchant, %d differ%s; facts: %d in order, %d shuffled, %d GoCardless"
                + " events with a fact of one type more than once; %d records dead-lettered",
            referenceSummary.size(),
            differences.size(),
            differences.isEmpty()
                ? ""
                : " (" + String.join("; ", differences.stream().limit(5).toList()) + ")",
            referenceFacts,
            shuffledFacts,
            repeatedFacts,
            deadLettered);
    boolean pass =
        differences.isEmpty()
            && repeatedFacts == 0
            && deadLettered == 0
            && referenceFacts > 0
            && referenceFacts == shuffledFacts;
    return new Verdict(name, pass, figures, details);
  }

  /** The first part of a case's history, right away. */
  private void begin(SimulatedOrganisation organisation, String label, String kind)
      throws Exception {
    String brq =
        stand
            .gocardless(
                organisation,
                "POST",
                "/billing_requests",
                """
                {"billing_requests":{"payment_request":{"amount":1500,"currency":"GBP",
                 "description":"Case %s"},"mandate_request":{"scheme":"bacs","currency":"GBP"},
                 "metadata":{"case":"%s"}}}
                """
                    .formatted(label, label))
            .path("billing_requests")
            .path("id")
            .asString();
    if (kind.equals("request_cancelled")) {
      action(organisation, "/billing_requests/" + brq + "/actions/cancel", "{\"data\":{}}");
      return;
    }
    action(
        organisation,
        "/billing_requests/" + brq + "/actions/collect_customer_details",
        """
        {"data":{"customer":{"given_name":"Ada","family_name":"Osborne","email":"ada@example.com"},
         "customer_billing_detail":{"address_line1":"27 Acer Road","city":"London",
         "postal_code":"E8 3GX","country_code":"GB"}}}
        """);
    action(
        organisation,
        "/billing_requests/" + brq + "/actions/collect_bank_account",
        """
        {"data":{"account_holder_name":"Ada Osborne","branch_code":"200000",
         "account_number":"55779911","country_code":"GB"}}
        """);
    String scenario =
        switch (kind) {
          case "paid_out" -> "billing_request_fulfilled_and_payment_paid_out";
          case "failed" -> "billing_request_fulfilled_and_payment_failed";
          case "late_failure" -> "billing_request_fulfilled_and_payment_confirmed_to_failed";
          default -> "billing_request_fulfilled";
        };
    scenario(organisation, scenario, brq);
    if (kind.startsWith("subscription") || kind.startsWith("instalments")) {
      String mandate = mandateOf(organisation, brq);
      scenario(organisation, "mandate_activated", mandate);
      var today = stand.simulator.clock().today();
      if (kind.startsWith("subscription")) {
        stand.gocardless(
            organisation,
            "POST",
            "/subscriptions",
            """
            {"subscriptions":{"amount":1000,"currency":"GBP","name":"Case %s","interval_unit":"monthly",
             "day_of_month":1,%s"metadata":{"case":"%s"},"links":{"mandate":"%s"}}}
            """
                .formatted(
                    label,
                    kind.equals("subscription_finished") ? "\"count\":2," : "",
                    label,
                    mandate));
      } else {
        stand.gocardless(
            organisation,
            "POST",
            "/instalment_schedules",
            """
            {"instalment_schedules":{"name":"Case %s","currency":"GBP","total_amount":3000,
             "instalments":[{"charge_date":"%s","amount":1500},{"charge_date":"%s","amount":1500}],
             "metadata":{"case":"%s"},"links":{"mandate":"%s"}}}
            """
                .formatted(label, today.plusDays(20), today.plusDays(35), label, mandate));
      }
    }
  }

  /** The part of a case's history that comes once time has passed. */
  private void middle(SimulatedOrganisation organisation, String label, String kind)
      throws Exception {
    switch (kind) {
      case "subscription_paused_resumed_cancelled" -> {
        String id = byCase(organisation, "/subscriptions", "subscriptions", label);
        action(organisation, "/subscriptions/" + id + "/actions/pause", "{\"data\":{}}");
        action(organisation, "/subscriptions/" + id + "/actions/resume", "{\"data\":{}}");
        action(organisation, "/subscriptions/" + id + "/actions/cancel", "{\"data\":{}}");
      }
      case "instalments_cancelled" -> {
        String id = byCase(organisation, "/instalment_schedules", "instalment_schedules", label);
        action(organisation, "/instalment_schedules/" + id + "/actions/cancel", "{\"data\":{}}");
      }
      default -> {}
    }
  }

  private void action(SimulatedOrganisation organisation, String path, String body)
      throws Exception {
    stand.gocardless(organisation, "POST", path, body);
  }

  private void scenario(SimulatedOrganisation organisation, String scenario, String resource)
      throws Exception {
    action(
        organisation,
        "/scenario_simulators/" + scenario + "/actions/run",
        "{\"data\":{\"links\":{\"resource\":\"" + resource + "\"}}}");
  }

  private String mandateOf(SimulatedOrganisation organisation, String brq) throws Exception {
    return stand
        .gocardless(organisation, "GET", "/billing_requests/" + brq, null)
        .path("billing_requests")
        .path("links")
        .path("mandate_request_mandate")
        .asString();
  }

  private String byCase(
      SimulatedOrganisation organisation, String path, String envelope, String label)
      throws Exception {
    for (var resource : stand.all(organisation, path, envelope)) {
      if (label.equals(resource.path("metadata").path("case").asString(null))) {
        return resource.path("id").asString();
      }
    }
    throw new IllegalStateException("No " + envelope + " of case " + label);
  }

  /** Every event of the organisation, oldest first, as GoCardless's events API lists them. */
  private List<JsonNode> eventsOf(SimulatedOrganisation organisation) throws Exception {
    var events = stand.all(organisation, "/events", "events");
    return events.reversed();
  }

  /**
   * Each resource of the organisation at GoCardless, by a label the other merchant's twin shares:
   * the case and the role ({@code c3/payment}, {@code c4/subscription-payment-2026-02-01}).
   */
  private Map<String, String> labels(SimulatedOrganisation organisation) throws Exception {
    var labels = new HashMap<String, String>();
    var caseOfMandate = new HashMap<String, String>();
    for (var brq : stand.all(organisation, "/billing_requests", "billing_requests")) {
      String label = brq.path("metadata").path("case").asString(null);
      if (label == null) {
        continue;
      }
      labels.put(brq.path("id").asString(), label + "/billing-request");
      var links = brq.path("links");
      String mandate = links.path("mandate_request_mandate").asString(null);
      if (mandate != null) {
        labels.put(mandate, label + "/mandate");
        caseOfMandate.put(mandate, label);
      }
      String payment = links.path("payment_request_payment").asString(null);
      if (payment != null) {
        labels.put(payment, label + "/payment");
      }
    }
    var caseOfPlan = new HashMap<String, String>();
    for (var s : stand.all(organisation, "/subscriptions", "subscriptions")) {
      String label = s.path("metadata").path("case").asString();
      labels.put(s.path("id").asString(), label + "/subscription");
      caseOfPlan.put(s.path("id").asString(), label);
    }
    for (var s : stand.all(organisation, "/instalment_schedules", "instalment_schedules")) {
      String label = s.path("metadata").path("case").asString();
      labels.put(s.path("id").asString(), label + "/instalment-schedule");
      caseOfPlan.put(s.path("id").asString(), label);
    }
    for (var p : stand.all(organisation, "/payments", "payments")) {
      String id = p.path("id").asString();
      if (labels.containsKey(id)) {
        continue;
      }
      var links = p.path("links");
      String plan =
          links.path("subscription").asString(links.path("instalment_schedule").asString(null));
      if (plan != null && caseOfPlan.containsKey(plan)) {
        labels.put(id, caseOfPlan.get(plan) + "/plan-payment-" + p.path("charge_date").asString());
      }
    }
    return labels;
  }

  /**
   * Per label: what billing-service's API says of the resource (status, failure) and the types of
   * the facts published about it, sorted.
   */
  private Map<String, String> summary(
      String merchantId, Map<String, String> labels, List<Fact> facts) throws Exception {
    var factsByResource = new HashMap<String, List<String>>();
    for (var fact : facts) {
      if (merchantId.equals(fact.merchantId())) {
        factsByResource.computeIfAbsent(fact.key(), k -> new ArrayList<>()).add(fact.type());
      }
    }
    String token = stand.teamToken();
    var summary = new TreeMap<String, String>();
    for (var entry : labels.entrySet()) {
      String id = entry.getKey();
      String label = entry.getValue();
      String path =
          switch (id.replaceAll("[0-9].*", "")) {
            case "BRQ" -> "/billing-requests/";
            case "MD" -> "/mandates/";
            case "PM" -> "/payments/";
            case "SB" -> "/subscriptions/";
            case "IS" -> "/instalment-schedules/";
            default -> throw new IllegalStateException("Unknown resource " + id);
          };
      var response =
          stand.http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(stand.billingUrl(path + id)))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      String state;
      if (response.statusCode() == 200) {
        var view = BillingStand.JSON.readTree(response.body());
        var failure = view.path("failure");
        state =
            view.path("status").asString()
                + (failure.isObject()
                    ? "("
                        + failure.path("action").asString()
                        + ":"
                        + failure.path("cause").asString()
                        + ")"
                    : "");
      } else {
        state = "HTTP " + response.statusCode();
      }
      var types = new ArrayList<>(factsByResource.getOrDefault(id, List.of()));
      Collections.sort(types);
      summary.put(label, state + " " + types);
    }
    return summary;
  }

  /** One billing fact as read from Kafka. */
  private record Fact(String key, String type, String merchantId, String gocardlessEventId) {}

  /**
   * Until the group {@code billing-service} committed at least these offsets; fails once it has
   * committed nothing new for {@code markerTimeout}. Not a fixed deadline: a run of every scenario
   * leaves tens of thousands of earlier scenarios' events on {@code gocardless.payments} before
   * this one's, and billing-service reads them all first.
   */
  private void awaitConsumed(Map<TopicPartition, Long> offsets) throws Exception {
    long stalledAfter = stack.settings.markerTimeout().toNanos();
    long deadline = System.nanoTime() + stalledAfter;
    long progress = -1;
    try (var admin = stack.kafka.admin()) {
      while (System.nanoTime() < deadline) {
        var committed =
            admin
                .listConsumerGroupOffsets(BillingStand.BILLING)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        boolean done =
            offsets.entrySet().stream()
                .allMatch(
                    e -> {
                      var c = committed.get(e.getKey());
                      return c != null && c.offset() >= e.getValue();
                    });
        if (done) {
          return;
        }
        long sum =
            committed.values().stream()
                .filter(Objects::nonNull)
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
        if (sum > progress) {
          progress = sum;
          deadline = System.nanoTime() + stalledAfter;
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException(
        "billing-service committed nothing new for "
            + stack.settings.markerTimeout().toSeconds()
            + " s before consuming up to "
            + offsets);
  }

  /**
   * Every billing fact, read to a known end: a marker row written to billing-service's outbox now,
   * after every consumer transaction above committed, is relayed after their facts (commit order);
   * once it is read, every partition is read to its end.
   */
  private List<Fact> readFacts() throws Exception {
    String marker = "marker-" + UUID.randomUUID();
    try (var connection = stand.database();
        var insert =
            connection.prepareStatement(
                "insert into outbox_event (id, aggregatetype, aggregateid, type, payload)"
                    + " values (?, ?, ?, 'FaultsMarker', '{}')")) {
      insert.setString(1, marker);
      insert.setString(2, Topics.BILLING_PAYMENT);
      insert.setString(3, marker);
      insert.executeUpdate();
    }
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-billing-facts-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var facts = new ArrayList<Fact>();
    try (var consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(
          List.of(
              Topics.BILLING_BILLING_REQUEST,
              Topics.BILLING_MANDATE,
              Topics.BILLING_PAYMENT,
              Topics.BILLING_REFUND,
              Topics.BILLING_SUBSCRIPTION,
              Topics.BILLING_INSTALMENT_SCHEDULE));
      long deadline = System.nanoTime() + stack.settings.markerTimeout().toNanos();
      boolean markerSeen = false;
      Map<TopicPartition, Long> ends = null;
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var headers = BillingStand.headers(record.headers());
          if (marker.equals(headers.get(EventHeaders.ID))) {
            markerSeen = true;
            continue;
          }
          if ("FaultsMarker".equals(headers.get(EventHeaders.EVENT_TYPE))) {
            continue;
          }
          var value = BillingStand.JSON.readTree(record.value());
          facts.add(
              new Fact(
                  record.key(),
                  headers.get(EventHeaders.EVENT_TYPE),
                  value.path("merchantId").asString(),
                  value.path("gocardlessEventId").asString()));
        }
        if (markerSeen && ends == null) {
          ends = consumer.endOffsets(consumer.assignment());
        }
        if (ends != null
            && ends.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          return facts;
        }
      }
    }
    throw new IllegalStateException("The marker of billing-service's outbox was not read");
  }
}
