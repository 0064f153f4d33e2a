package io.paybridge.webhookingest.webhook;

import static io.paybridge.webhookingest.webhook.WebhookClient.SIMULATOR_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Group commit with the real database and broker: deliveries sent at the same time are written in
 * one transaction (their rows share the transaction id {@code xmin}), each answered after it;
 * events shared by deliveries of one group are published once; a delivery whose rows fail does not
 * cost the others their 204; the database ending the group's transaction acknowledges none of it;
 * past the admission limit a delivery is refused at once with nothing stored, on a connection that
 * stays open.
 *
 * <p>One writer that waits up to 500 ms for more deliveries, so that deliveries sent together
 * reliably land in one group, and an admission limit of four pending deliveries.
 */
@IntegrationTest(
    properties = {
      "paybridge.webhooks.gocardless.group-commit.writers=1",
      "paybridge.webhooks.gocardless.group-commit.max-wait=500ms",
      "paybridge.webhooks.gocardless.admission.max-pending-deliveries=4"
    })
class GroupCommitIT {

  private static final String DATABASE = "webhook_ingest_service";

  @LocalServerPort int port;
  @Autowired ObjectMapper mapper;
  @Autowired MeterRegistry meters;
  @Autowired WebServerApplicationContext context;

  private final JdbcTemplate service =
      new JdbcTemplate(EmbeddedPostgresServer.shared().dataSource(DATABASE));
  private WebhookClient client;

  @BeforeEach
  void client() {
    client = new WebhookClient(port);
  }

  @Test
  void theAdmissionLimitRunsOnTheThreadThatReadTheRequest() {
    var server = ((JettyWebServer) context.getWebServer()).getServer();
    assertThat(server.getDescendant(WebhookAdmission.class)).isNotNull();
    // Jetty calls a non-blocking server's handler on the thread that read the request (its
    // selector), so that a refusal never waits for a request thread; a blocking one, on a thread
    // of its own.
    assertThat(server.getInvocationType()).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
  }

  @Test
  void concurrentDeliveriesSharingEventsAreWrittenTogetherAndPublishEachEventOnce() {
    String run = run();
    String a = run + "A", b = run + "B", c = run + "C", d = run + "D";
    var bodies =
        List.of(
            GoCardlessWebhookIT.webhook(List.of(a, b), "payments", "confirmed"),
            GoCardlessWebhookIT.webhook(List.of(b, c), "payments", "confirmed"),
            GoCardlessWebhookIT.webhook(List.of(c, a, d), "payments", "confirmed"),
            GoCardlessWebhookIT.webhook(List.of(a), "payments", "confirmed"));
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      var responses = sendTogether(bodies);

      assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(204);
      assertThat(
              service.queryForObject(
                  "select count(distinct xmin::text) from webhook_delivery where webhook_id = any(?)",
                  Integer.class,
                  (Object) webhookIds(bodies)))
          .as("the four deliveries committed in one transaction")
          .isEqualTo(1);
      assertThat(
              service.queryForList(
                  "select event_id from gocardless_event where event_id like ?",
                  String.class,
                  run + "%"))
          .containsExactlyInAnyOrder(a, b, c, d);
      var records =
          kafka.readPastMarker(
              service.getDataSource(),
              Topics.GOCARDLESS_PAYMENTS,
              r -> r.header(EventHeaders.ID).startsWith(run),
              Duration.ofSeconds(60));
      assertThat(records)
          .extracting(r -> r.header(EventHeaders.ID))
          .as("each event once, although four deliveries of one group carried seven of them")
          .containsExactlyInAnyOrder(a, b, c, d);
    }
  }

  @Test
  void aDeliveryWhoseRowsFailIsAnsweredAloneAndTheOthersOfItsGroupAreStored() throws Exception {
    String run = run();
    // A constraint only this test's poisoned event breaks: its rows fail inside the group.
    String poisoned = "EVPOISON" + run.substring(2, 8);
    service.execute(
        "alter table gocardless_event add constraint group_commit_it_poison"
            + " check (event_id not like 'EVPOISON%')");
    double retriedBefore = retriedAlone();
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS)) {
      var good =
          List.of(
              GoCardlessWebhookIT.webhook(List.of(run + "G1"), "payments", "confirmed"),
              GoCardlessWebhookIT.webhook(List.of(run + "G2", run + "G3"), "payments", "confirmed"),
              GoCardlessWebhookIT.webhook(List.of(run + "G4"), "payments", "confirmed"));
      byte[] bad = GoCardlessWebhookIT.webhook(List.of(poisoned), "payments", "confirmed");
      var responses = sendTogether(List.of(good.get(0), bad, good.get(1), good.get(2)));

      assertThat(responses.get(0).statusCode()).isEqualTo(204);
      assertThat(responses.get(2).statusCode()).isEqualTo(204);
      assertThat(responses.get(3).statusCode()).isEqualTo(204);
      // As a failure of a delivery alone is answered: 500 internal-error (GoCardless retries).
      assertThat(responses.get(1).statusCode()).isEqualTo(500);
      assertThat(mapper.readTree(responses.get(1).body()).path("type").asString())
          .isEqualTo("https://paybridge.io/problems/internal-error");
      assertThat(retriedAlone() - retriedBefore)
          .as("the group failed once and its four deliveries were written again alone")
          .isEqualTo(4);

      assertThat(
              service.queryForList(
                  "select event_id from gocardless_event where event_id like ?",
                  String.class,
                  run + "%"))
          .containsExactlyInAnyOrder(run + "G1", run + "G2", run + "G3", run + "G4");
      assertThat(deliveriesOf(List.of(bad))).as("nothing of the failed delivery").isZero();
      assertThat(deliveriesOf(good)).isEqualTo(3);
      var records =
          kafka.readPastMarker(
              service.getDataSource(),
              Topics.GOCARDLESS_PAYMENTS,
              r -> r.header(EventHeaders.ID).startsWith(run),
              Duration.ofSeconds(60));
      assertThat(records)
          .extracting(r -> r.header(EventHeaders.ID))
          .containsExactlyInAnyOrder(run + "G1", run + "G2", run + "G3", run + "G4");
    } finally {
      service.execute("alter table gocardless_event drop constraint group_commit_it_poison");
    }
  }

  @Test
  void theDatabaseEndingAGroupsTransactionAcknowledgesNoneOfItsDeliveries() throws Exception {
    String run = run();
    String held = run + "H", other1 = run + "O1", other2 = run + "O2";
    var bodies =
        List.of(
            GoCardlessWebhookIT.webhook(List.of(other1), "payments", "failed"),
            GoCardlessWebhookIT.webhook(List.of(held), "payments", "failed"),
            GoCardlessWebhookIT.webhook(List.of(other2), "payments", "failed"));
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS);
        var blocker = EmbeddedPostgresServer.shared().dataSource(DATABASE).getConnection();
        var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      holdEventId(blocker, held);
      var answers =
          bodies.stream()
              .map(
                  body ->
                      CompletableFuture.supplyAsync(
                          () -> client.postSigned(body, SIMULATOR_SECRET), executor))
              .toList();
      // The group's insert waits for the held event: its transaction is under way. PostgreSQL
      // stopping ends it as it ends every session (57P01).
      long backend = backendWaitingToInsertAnEvent();
      service.queryForObject("select pg_terminate_backend(?::int)", Boolean.class, backend);

      for (var answer : answers) {
        var response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(mapper.readTree(response.body()).path("type").asString())
            .isEqualTo("https://paybridge.io/problems/storage-unavailable");
      }
      blocker.rollback();
      assertThat(
              service.queryForObject(
                  "select count(*) from gocardless_event where event_id like ?",
                  Integer.class,
                  run + "%"))
          .as("nothing of the group stored")
          .isZero();
      assertThat(deliveriesOf(bodies)).isZero();

      // GoCardless delivers each again until it is accepted; each event is then published once.
      for (var body : bodies) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> client.postSigned(body, SIMULATOR_SECRET).statusCode() == 204);
      }
      var records =
          kafka.readPastMarker(
              service.getDataSource(),
              Topics.GOCARDLESS_PAYMENTS,
              r -> r.header(EventHeaders.ID).startsWith(run),
              Duration.ofSeconds(60));
      assertThat(records)
          .extracting(r -> r.header(EventHeaders.ID))
          .containsExactlyInAnyOrder(held, other1, other2);
    }
  }

  @Test
  void pastTheAdmissionLimitADeliveryIsRefusedAtOnceAndNothingOfItIsStored() throws Exception {
    String run = run();
    String refusedId = run + "R";
    byte[] refusedBody = GoCardlessWebhookIT.webhook(List.of(refusedId), "payments", "created");
    try (var kafka = KafkaTestConsumer.fromNow(Topics.GOCARDLESS_PAYMENTS);
        var blocker = EmbeddedPostgresServer.shared().dataSource(DATABASE).getConnection();
        var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var answers = fillTheAdmissionLimit(blocker, run, executor);
      HttpResponse<String> refused;
      double observed503 = serverRequestsAnswered(503);
      long refusalsTimed = meters.get("paybridge.webhooks.refusal").timer().count();
      try {
        refused = client.postSigned(refusedBody, SIMULATOR_SECRET);
      } finally {
        blocker.rollback();
      }

      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      var problem = mapper.readTree(refused.body());
      assertThat(problem.path("type").asString())
          .isEqualTo("https://paybridge.io/problems/ingest-saturated");
      assertThat(problem.path("status").asInt()).isEqualTo(503);
      assertThat(problem.path("instance").asString()).isEqualTo("/webhooks/gocardless");
      // Refused before any other filter ran: still one request id, in the header and the body.
      assertThat(refused.headers().firstValue("X-Request-Id"))
          .hasValue(problem.path("requestId").asString());
      for (var answer : answers) {
        assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
      }
      assertThat(WebhookStorageOutageIT.inboxCount(service, refusedId)).isZero();
      assertThat(deliveriesOf(List.of(refusedBody))).isZero();
      assertThat(meters.counter("paybridge.webhooks.received", "outcome", "saturated").count())
          .isPositive();
      // Refused before the request's observation (WebhookAdmission comes first): counted above, not
      // among the HTTP server's requests.
      assertThat(serverRequestsAnswered(503)).isEqualTo(observed503);
      // ...and timed from its arrival at the server to its answer.
      assertThat(meters.get("paybridge.webhooks.refusal").timer().count())
          .isEqualTo(refusalsTimed + 1);

      WebhookStorageOutageIT.assertRedeliveryAcceptedAndPublishedOnce(
          client, kafka, service, refusedId, refusedBody);
    }
  }

  @Test
  void aRefusedSenderKeepsItsConnectionForItsNextDelivery() throws Exception {
    String run = run();
    // A batch, its second half sent a moment after the head: the service decides before it arrives.
    byte[] refusedBody =
        GoCardlessWebhookIT.webhook(
            IntStream.range(0, 50).mapToObj(i -> run + "R" + i).toList(), "payments", "created");
    try (var blocker = EmbeddedPostgresServer.shared().dataSource(DATABASE).getConnection();
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        var connection = new KeptConnection(port)) {
      var answers = fillTheAdmissionLimit(blocker, run, executor);
      KeptConnection.Response refused;
      try {
        refused = connection.postSigned(refusedBody, SIMULATOR_SECRET, Duration.ofMillis(300));
      } finally {
        blocker.rollback();
      }
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.body()).contains("ingest-saturated");
      assertThat(refused.header("Connection")).isEmpty();
      for (var answer : answers) {
        assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
      }
      // Shedding costs no new connection: the redelivery goes on the same one.
      assertThat(connection.postSigned(refusedBody, SIMULATOR_SECRET).status()).isEqualTo(204);
    }
  }

  /**
   * Four deliveries (the admission limit) waiting in a group for an event {@code blocker} holds:
   * the next delivery is refused until {@code blocker} ends its transaction.
   */
  private List<CompletableFuture<HttpResponse<String>>> fillTheAdmissionLimit(
      Connection blocker, String run, ExecutorService executor) throws Exception {
    String held = run + "H";
    holdEventId(blocker, held);
    var answers =
        Stream.of(held, run + "W1", run + "W2", run + "W3")
            .map(id -> GoCardlessWebhookIT.webhook(List.of(id), "payments", "created"))
            .map(
                body ->
                    CompletableFuture.supplyAsync(
                        () -> client.postSigned(body, SIMULATOR_SECRET), executor))
            .toList();
    backendWaitingToInsertAnEvent();
    return answers;
  }

  private double serverRequestsAnswered(int status) {
    return meters
        .find("http.server.requests")
        .tag("status", Integer.toString(status))
        .timers()
        .stream()
        .mapToDouble(io.micrometer.core.instrument.Timer::count)
        .sum();
  }

  private List<HttpResponse<String>> sendTogether(List<byte[]> bodies) {
    return client.postSignedTogether(bodies, SIMULATOR_SECRET);
  }

  private String[] webhookIds(List<byte[]> bodies) {
    return bodies.stream()
        .map(body -> mapper.readTree(body).path("meta").path("webhook_id").asString())
        .toArray(String[]::new);
  }

  private int deliveriesOf(List<byte[]> bodies) {
    return service.queryForObject(
        "select count(*) from webhook_delivery where webhook_id = any(?)",
        Integer.class,
        (Object) webhookIds(bodies));
  }

  private double retriedAlone() {
    var counter = meters.find("paybridge.webhooks.group.retried.alone").counter();
    return counter == null ? 0 : counter.count();
  }

  /** Inserts, uncommitted, the event {@code id}: the service's insert of it waits until then. */
  private static void holdEventId(Connection blocker, String id) throws Exception {
    blocker.setAutoCommit(false);
    var delivery = UUID.randomUUID();
    try (var insert =
        blocker.prepareStatement(
            "insert into webhook_delivery (id, received_at, signature, body, event_count)"
                + " values (?, now(), 'test', ''::bytea, 1)")) {
      insert.setObject(1, delivery);
      insert.executeUpdate();
    }
    try (var insert =
        blocker.prepareStatement(
            "insert into gocardless_event (event_id, synthetic_id, resource_type, action,"
                + " delivery_id, received_at, payload)"
                + " values (?, false, 'payments', 'failed', ?, now(), '{}')")) {
      insert.setString(1, id);
      insert.setObject(2, delivery);
      insert.executeUpdate();
    }
  }

  private long backendWaitingToInsertAnEvent() {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                service.queryForList(
                    "select pid from pg_stat_activity where datname = ? and wait_event_type ="
                        + " 'Lock' and query like '%insert into gocardless_event%'",
                    Long.class, DATABASE),
            pids -> pids.size() == 1)
        .getFirst();
  }

  private static String run() {
    return "EV" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
  }
}
