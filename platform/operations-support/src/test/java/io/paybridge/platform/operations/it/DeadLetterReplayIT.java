package io.paybridge.platform.operations.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.operations.audit.AuditLog;
import io.paybridge.platform.outbox.OperationsTimeline;
import io.paybridge.platform.outbox.TimelineStep;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Dead letters through the operator API of a service ({@link OperationsTestApplication}) whose
 * effect, a balance, would double if an event were applied twice. "Applied once" is read to a known
 * end: a marker record on the same key (so the same partition, after the replays) is applied last,
 * and only then is the balance read.
 */
@IntegrationTest
class DeadLetterReplayIT {

  private static final String AUDIENCE = "operations-test";
  private static final String DLT = OperationsTestApplication.PAYMENTS + ".operations-test.dlt";
  private static final TestIssuer issuer = TestIssuer.get();
  private static KafkaProducer<String, String> producer;

  @Autowired JdbcTemplate jdbc;
  @Autowired OperationsTestApplication.PaymentsListener listener;
  @Autowired AuditLog audit;
  @Autowired OperationsTimeline timeline;
  @Autowired MeterRegistry meters;
  @LocalServerPort int port;

  @DynamicPropertySource
  static void issuer(DynamicPropertyRegistry properties) {
    properties.add("paybridge.security.jwt.issuer-uri", issuer::issuerUri);
  }

  @BeforeAll
  static void producer() {
    // Before the listener starts: it is assigned the topic's partitions at once instead of after a
    // metadata refresh, and the first dead letter needs no topic creation.
    EmbeddedKafkaServer.shared().createTopics(OperationsTestApplication.PAYMENTS, DLT);
    producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.shared().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer());
  }

  @AfterAll
  static void closeProducer() {
    producer.close();
  }

  @Test
  void aDeadLetterReplayedTwiceIsAppliedOnceAndEachReplayIsAudited() throws Exception {
    String account = "acct-" + UUID.randomUUID();
    listener.broken.set(true);
    String eventId = send(account, "fragile:" + account + ":5", "PaymentConfirmed");
    JsonNode letter = awaitDeadLetter(eventId);
    assertThat(letter.path("topic").asString()).isEqualTo(DLT);
    assertThat(letter.path("originalTopic").asString())
        .isEqualTo(OperationsTestApplication.PAYMENTS);
    assertThat(letter.path("key").asString()).isEqualTo(account);
    assertThat(letter.path("eventType").asString()).isEqualTo("PaymentConfirmed");
    assertThat(letter.path("error").asString()).contains("cannot read payment " + eventId);
    assertThat(letter.has("payload")).isFalse();

    listener.broken.set(false);
    String id = letter.path("id").asString();
    String requestId = "replay-" + UUID.randomUUID();
    var first =
        Http.postJsonWithHeaders(
            url("/operations/dead-letters/replays"),
            operatorToken(),
            "{\"ids\": [\"" + id + "\"]}",
            Map.of("X-Request-Id", requestId));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().path("replayed").asInt()).isEqualTo(1);
    var second =
        Http.postJson(
            url("/operations/dead-letters/replays"),
            operatorToken(),
            "{\"ids\": [\"" + id + "\"]}");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().path("replayed").asInt()).isEqualTo(1);

    awaitMarker(account);
    assertThat(balance(account)).isEqualTo(5);

    var entries =
        Http.get(url("/operations/audit?action=dead-letters.replayed&limit=1000"), operatorToken())
            .json()
            .path("entries");
    var ours = new ArrayList<JsonNode>();
    for (JsonNode entry : entries) {
      if (entry.path("detail").path("ids").toString().contains(id)) {
        ours.add(entry);
      }
    }
    assertThat(ours).hasSize(2);
    assertThat(ours)
        .extracting(e -> e.path("id").asString())
        .containsExactlyInAnyOrder(
            first.json().path("auditId").asString(), second.json().path("auditId").asString());
    JsonNode audited =
        ours.stream()
            .filter(e -> e.path("id").asString().equals(first.json().path("auditId").asString()))
            .findFirst()
            .orElseThrow();
    assertThat(audited.path("actor").asString()).isEqualTo("team:operators");
    assertThat(audited.path("requestId").asString()).isEqualTo(requestId);
    assertThat(audited.path("service").asString()).isEqualTo("operations-test");
    assertThat(audited.path("detail").path("eventIds").get(0).asString()).isEqualTo(eventId);
    assertThat(audited.path("detail").path("count").asInt()).isEqualTo(1);

    // The event's timeline in this service: dead-lettered with its error, replayed, applied once
    // (the second replay may be recorded before or after the first one is applied).
    var steps = timeline.steps(List.of(eventId));
    assertThat(steps)
        .extracting(TimelineStep::kind)
        .containsSubsequence("dead-lettered", "replayed", "consumed");
    assertThat(steps).filteredOn(step -> step.kind().equals("consumed")).hasSize(1);
    var deadLettered =
        steps.stream()
            .filter(step -> step.kind().equals("dead-lettered"))
            .findFirst()
            .orElseThrow();
    assertThat(deadLettered.detail())
        .containsEntry("topic", DLT)
        .containsEntry("deadLetterId", id)
        .containsEntry("eventId", eventId);
    assertThat((String) deadLettered.detail().get("error")).contains("cannot read payment");
    assertThat(steps)
        .filteredOn(step -> step.kind().equals("replayed"))
        .extracting(step -> step.detail().get("auditId"))
        .containsExactlyInAnyOrder(
            first.json().path("auditId").asString(), second.json().path("auditId").asString());
    // Found by its resource (the record's key) and by the replay's request id too.
    assertThat(timeline.steps(List.of(account)))
        .extracting(TimelineStep::kind)
        .contains("dead-lettered");
    assertThat(timeline.steps(List.of(requestId)))
        .singleElement()
        .satisfies(step -> assertThat(step.kind()).isEqualTo("replayed"));
  }

  @Test
  void aReplayOfAnEventAppliedBeforeChangesNothing() throws Exception {
    String account = "acct-" + UUID.randomUUID();
    listener.broken.set(true);
    String eventId = UUID.randomUUID().toString();
    // Applied once as it arrived ...
    send(eventId, account, account + ":7", "PaymentConfirmed");
    // ... then a redelivery the consumer could not read at the time.
    send(eventId, account, "fragile:" + account + ":7", "PaymentConfirmed");
    JsonNode letter = awaitDeadLetter(eventId);
    listener.broken.set(false);

    var replay =
        Http.postJson(
            url("/operations/dead-letters/replays"),
            operatorToken(),
            "{\"ids\": [\"" + letter.path("id").asString() + "\"]}");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().path("replayed").asInt()).isEqualTo(1);

    awaitMarker(account);
    assertThat(balance(account)).isEqualTo(7);
  }

  @Test
  void aFilterReplaysTheDeadLettersItTakesAndNoOthers() throws Exception {
    String account = "acct-" + UUID.randomUUID();
    String type = "RefundPaid" + UUID.randomUUID().toString().substring(0, 8);
    listener.broken.set(true);
    Instant from = Instant.now().minusSeconds(1);
    String taken = send(account, "fragile:" + account + ":11", type);
    String left = send(account, "fragile:" + account + ":100", "PaymentFailed");
    awaitDeadLetter(taken);
    awaitDeadLetter(left);
    listener.broken.set(false);

    var replay =
        Http.postJson(
            url("/operations/dead-letters/replays"),
            operatorToken(),
            "{\"filter\": {\"topic\": \""
                + OperationsTestApplication.PAYMENTS
                + "\", \"eventType\": \""
                + type
                + "\", \"from\": \""
                + from
                + "\"}}");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().path("replayed").asInt()).isEqualTo(1);

    awaitMarker(account);
    assertThat(balance(account)).isEqualTo(11);
  }

  @Test
  void oneDeadLetterShowsItsPayloadAndHeaders() throws Exception {
    String account = "acct-" + UUID.randomUUID();
    listener.broken.set(true);
    String eventId = send(account, "fragile:" + account + ":3", "PaymentConfirmed");
    String id = awaitDeadLetter(eventId).path("id").asString();

    var one = Http.get(url("/operations/dead-letters/" + id), readerToken());
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().path("payload").asString()).isEqualTo("fragile:" + account + ":3");
    assertThat(one.json().path("headers").path(EventHeaders.ID).asString()).isEqualTo(eventId);
    assertThat(one.json().path("headers").path("kafka_dlt-original-topic").asString())
        .isEqualTo(OperationsTestApplication.PAYMENTS);
    assertThat(one.json().path("headers").has("kafka_dlt-exception-stacktrace")).isFalse();
  }

  @Test
  void badRequestsAreRefusedAndReplayNothing() throws Exception {
    var unknown =
        Http.postJson(
            url("/operations/dead-letters/replays"),
            operatorToken(),
            "{\"ids\": [\"" + DLT + "-0-999999\"]}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("type").asString())
        .isEqualTo("https://paybridge.io/problems/dead-letter-not-found");
    assertThat(unknown.json().path("unknownIds").get(0).asString()).isEqualTo(DLT + "-0-999999");

    var both =
        Http.postJson(
            url("/operations/dead-letters/replays"),
            operatorToken(),
            "{\"ids\": [\"x-0-1\"], \"filter\": {}}");
    assertThat(both.status()).isEqualTo(400);
    var unreadable =
        Http.postJson(url("/operations/dead-letters/replays"), operatorToken(), "{\"ids\": 5");
    assertThat(unreadable.status()).isEqualTo(400);
    assertThat(unreadable.json().path("type").asString())
        .isEqualTo("https://paybridge.io/problems/invalid-request");
    var badLimit = Http.get(url("/operations/dead-letters?limit=0"), readerToken());
    assertThat(badLimit.status()).isEqualTo(400);
    var notADeadLetterTopic =
        Http.get(
            url("/operations/dead-letters/" + OperationsTestApplication.PAYMENTS + "-0-0"),
            readerToken());
    assertThat(notADeadLetterTopic.status()).isEqualTo(404);

    var readerReplays =
        Http.postJson(url("/operations/dead-letters/replays"), readerToken(), "{\"filter\": {}}");
    assertThat(readerReplays.status()).isEqualTo(403);
    var anonymous = Http.get(url("/operations/dead-letters"), null);
    assertThat(anonymous.status()).isEqualTo(401);
  }

  @Test
  void auditEntriesPastTheirRetentionAreDeletedAndCounted() {
    var old = UUID.randomUUID();
    var recent = UUID.randomUUID();
    jdbc.update(
        "insert into audit_entry (id, at, action, actor) values (?, now() - interval '401 days',"
            + " 'test.old', 'system'), (?, now() - interval '399 days', 'test.recent', 'system')",
        old,
        recent);
    double before = removed();

    long deleted = audit.deleteExpired(Duration.ofDays(400), 1);

    assertThat(deleted).isGreaterThanOrEqualTo(1);
    assertThat(
            jdbc.queryForObject("select count(*) from audit_entry where id = ?", Long.class, old))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_entry where id = ?", Long.class, recent))
        .isOne();
    assertThat(removed() - before).isEqualTo(deleted);
  }

  @Test
  void anAuditEntryRefusesADetailNamingASecretAndHoldsNoToken() {
    String token = operatorToken();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> audit.record("test.secret", "x", Map.of("accessToken", "s3cr3t-never-stored")))
        .isInstanceOf(IllegalArgumentException.class);
    Http.postJson(
        url("/operations/dead-letters/replays"), token, "{\"filter\": {\"eventType\": \"None\"}}");
    List<String> rows =
        jdbc.queryForList("select audit_entry::text from audit_entry", String.class);
    assertThat(rows)
        .isNotEmpty()
        .noneMatch(row -> row.contains(token) || row.contains("s3cr3t-never-stored"));
  }

  private double removed() {
    return meters.counter("paybridge.audit.retention.removed").count();
  }

  private String send(String account, String value, String type) throws Exception {
    String eventId = UUID.randomUUID().toString();
    send(eventId, account, value, type);
    return eventId;
  }

  private void send(String eventId, String account, String value, String type) throws Exception {
    var record = new ProducerRecord<>(OperationsTestApplication.PAYMENTS, account, value);
    record.headers().add(EventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
    record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
    producer.send(record).get();
  }

  /** Sends a marker on the account's partition, after everything sent so far, and awaits it. */
  private void awaitMarker(String account) throws Exception {
    String marker = send(account, account + "-marker:0", "Marker");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.queryForObject(
                        "select count(*) from consumed_message where consumer = 'operations-test'"
                            + " and event_id = ?",
                        Long.class,
                        marker)
                    == 1);
  }

  private long balance(String account) {
    return jdbc
        .queryForList("select total from test_balance where account = ?", Long.class, account)
        .stream()
        .findFirst()
        .orElse(0L);
  }

  private JsonNode awaitDeadLetter(String eventId) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (JsonNode item :
                  Http.get(
                          url(
                              "/operations/dead-letters?topic="
                                  + OperationsTestApplication.PAYMENTS
                                  + "&limit=1000"),
                          readerToken())
                      .json()
                      .path("deadLetters")) {
                if (eventId.equals(item.path("eventId").asString())) {
                  return item;
                }
              }
              return null;
            },
            item -> item != null);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static String operatorToken() {
    return issuer.teamToken("operators", AUDIENCE, "operations:read", "operations:write");
  }

  private static String readerToken() {
    return issuer.teamToken("operators", AUDIENCE, "operations:read");
  }
}
