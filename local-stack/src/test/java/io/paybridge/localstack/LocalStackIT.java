package io.paybridge.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.ColumnSearch;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.browser.ConsoleBrowser;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.tracing.OtlpReceiver;
import io.paybridge.simulator.SimulatedPayer;
import io.paybridge.simulator.SimulatorSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;

/**
 * The local stack as a developer runs it ({@link LocalStack#main} in a JVM of its own, every
 * service a process of its own), walked through as its README's walkthrough says, by a team through
 * the gateway: a signed webhook, a merchant connected on the simulator's consent page (the callback
 * followed as a browser follows it), its verification, a billing request paid on the hosted page,
 * the simulated clock moved until the payment is paid out (through billing-service's API, its facts
 * on Kafka and the notification verified by the sample receiver), a scheduled recovery run of the
 * merchant's organisation (webhook-ingest-service reading the simulator's events API as its own
 * client), the merchant disconnecting at GoCardless, an operator's access export and erasure of the
 * payer through the gateway (every service's database searched for the payer's data, the same
 * request delivered twice changing nothing); then SIGTERM, and the stack ends with status 0, no
 * stack trace and no process left. Tokens, the sample webhook and Kafka's address are read from
 * what the stack prints.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String TEAM = "team-a";

  /** The payer's given name typed on the hosted page, rare enough to be found only as theirs. */
  private static final String PAYER_GIVEN_NAME = "Frankwell";

  /** Personal data a team put in the billing request's metadata. */
  private static final String TEAM_METADATA = "member Frankwell Osborne, flat 4";

  /** The databases of the services, each searched whole for the payer's data. */
  private static final List<String> SERVICES =
      List.of("webhook-ingest-service", "oauth-service", "billing-service", "notification-service");

  private static final Pattern INPUT =
      Pattern.compile("<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"");

  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final List<String> output = new CopyOnWriteArrayList<>();
  private Process stack;
  private KafkaTestConsumer facts;
  private String token;
  private String gateway;
  private String simulator;

  private String merchantId;
  private String organisationId;
  private String verificationUrl;
  private String paidOutEvent;
  private String billingRequestId;
  private String paymentId;
  private String mandateId;
  private String customerId;
  private String paidOutTraceparent;
  private OtlpReceiver traces;

  @BeforeAll
  void startTheStackAsADeveloperDoes() throws Exception {
    // Every port held open until all are chosen, so that no two variables get the same one.
    var sockets = new ArrayList<ServerSocket>();
    try {
      for (String variable :
          List.of(
              "POSTGRES_PORT",
              "SIMULATOR_PORT",
              "OIDC_ISSUER_PORT",
              "REDIS_PORT",
              "SAMPLE_RECEIVER_PORT",
              "GATEWAY_PORT",
              "GATEWAY_MANAGEMENT_PORT",
              "WEBHOOK_INGEST_PORT",
              "WEBHOOK_INGEST_MANAGEMENT_PORT",
              "OAUTH_PORT",
              "OAUTH_MANAGEMENT_PORT",
              "BILLING_PORT",
              "BILLING_MANAGEMENT_PORT",
              "NOTIFICATION_PORT",
              "NOTIFICATION_MANAGEMENT_PORT")) {
        var socket = new ServerSocket(0);
        sockets.add(socket);
        ports.put(variable, socket.getLocalPort());
      }
    } finally {
      for (var socket : sockets) {
        socket.close();
      }
    }
    var command =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // As under ./mvnw -Plocal-stack package, whose JVM runs C1 only (.mvn/jvm.config).
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                LocalStack.class.getName())
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    ports.forEach((variable, port) -> command.environment().put(variable, port.toString()));
    // Without the services' AOT caches: where none is recorded yet (a clean build) recording and
    // writing five of them would add about a minute of CPU to the build; the caches are the
    // README's to measure, the walkthrough is this test's.
    command.environment().put("LOCAL_STACK_AOT_CACHE", "off");
    command.environment().remove("LOCAL_STACK_JVM_OPTIONS");
    // Every service (a child process of the stack, so of its environment) exports its spans here.
    traces = OtlpReceiver.start();
    command
        .environment()
        .put(
            "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
            traces.tracesEndpoint().toString());
    command.environment().put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms");
    Path logs = Path.of("target/local-stack-it");
    command.environment().put("LOCAL_STACK_LOG_DIRECTORY", logs.toAbsolutePath().toString());
    Files.createDirectories(logs);
    stack = command.start();
    var copy = new PrintWriter(Files.newBufferedWriter(logs.resolve("local-stack.out")), true);
    Thread.ofPlatform()
        .daemon()
        .name("local-stack-output")
        .start(
            () -> {
              try (var lines =
                  new BufferedReader(
                      new InputStreamReader(stack.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  output.add(line);
                  copy.println(line);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                copy.close();
              }
            });
    await()
        .atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> printed("PayBridge local stack is up") || !stack.isAlive());
    assertThat(stack.isAlive()).as("local-stack is running; its output: %s", output).isTrue();

    gateway = "http://localhost:" + ports.get("GATEWAY_PORT");
    simulator = "http://127.0.0.1:" + ports.get("SIMULATOR_PORT");
    token = printedValue(Pattern.compile("^\\s+TOKEN=(\\S+)$"));
    String kafka = printedValue(Pattern.compile("^\\s+Kafka\\s+(\\S+)$"));
    facts =
        KafkaTestConsumer.onBroker(
            kafka,
            Topics.GOCARDLESS_PAYMENTS,
            Topics.MERCHANTS_CONNECTION,
            Topics.BILLING_BILLING_REQUEST,
            Topics.BILLING_MANDATE,
            Topics.BILLING_PAYMENT,
            Topics.PAYERS_ERASURE);
  }

  @AfterAll
  void stopWhateverIsLeft() {
    if (facts != null) {
      facts.close();
    }
    if (stack != null && stack.isAlive()) {
      stack.descendants().forEach(ProcessHandle::destroyForcibly);
      stack.destroyForcibly();
    }
    if (traces != null) {
      traces.close();
    }
  }

  @Test
  @Order(1)
  void step1ASignedWebhookThroughTheGatewayReachesKafka() throws Exception {
    String body = printedValue(Pattern.compile("^\\s+BODY='(.+)'$"));
    String eventId = Http.json(body).path("events").get(0).path("id").asString();
    var mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            SimulatorSettings.DEFAULT_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8),
            "HmacSHA256"));
    String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));

    var answer =
        Http.postJsonWithHeaders(
            gateway + "/webhooks/gocardless", null, body, Map.of("Webhook-Signature", signature));

    assertThat(answer.status()).as(answer.body()).isEqualTo(204);
    facts
        .await(
            r ->
                r.topic().equals(Topics.GOCARDLESS_PAYMENTS)
                    && eventId.equals(r.header(EventHeaders.ID)),
            Duration.ofSeconds(30))
        .hasKey("PM00ABCD1234XY");
  }

  @Test
  @Order(2)
  void step2AMerchantConnectsOnTheConsentPage() {
    var connection =
        Http.postJson(gateway + "/merchant-connections", token, "{\"companyName\":\"Acme Yoga\"}");
    assertThat(connection.status()).as(connection.body()).isEqualTo(201);
    merchantId = connection.json().path("merchantId").asString();
    String authorisationUrl = connection.json().path("authorisationUrl").asString();
    assertThat(authorisationUrl).startsWith(simulator);

    // The merchant's browser: the consent page, "Create a new organisation" and Connect.
    var consent = Http.get(authorisationUrl, null);
    assertThat(consent.status()).as(consent.body()).isEqualTo(200);
    var form = inputs(consent.body());
    assertThat(form).containsEntry("organisation_name", "Acme Yoga");
    form.put("organisation", "new");
    form.put("email", "owner@acme-yoga.example.com");
    form.put("decision", "approve");
    var decided = Http.postForm(simulator + "/oauth/authorize", form);
    String callback = decided.location();
    assertThat(callback).as("the consent page's redirect").startsWith(gateway + "/oauth/callback");
    var page = followAsABrowser(callback);
    assertThat(page.status()).as(page.body()).isEqualTo(200);

    var merchant = Http.get(gateway + "/merchants/" + merchantId, token);
    assertThat(merchant.status()).as(merchant.body()).isEqualTo(200);
    assertThat(merchant.json().path("status").asString()).isEqualTo("connected");
    assertThat(merchant.json().path("verificationStatus").asString()).isEqualTo("action_required");
    organisationId = merchant.json().path("organisationId").asString();
    verificationUrl = merchant.json().path("verificationUrl").asString();
    assertThat(Http.get(gateway + "/merchants", token).body()).contains(merchantId);
    facts
        .await(
            r ->
                merchantId.equals(r.key())
                    && "MerchantConnected".equals(r.header(EventHeaders.EVENT_TYPE)),
            Duration.ofSeconds(30))
        .hasHeader(EventHeaders.TENANT, TEAM);
  }

  @Test
  @Order(3)
  void step3TheMerchantSubmitsItsVerification() {
    assertThat(verificationUrl).startsWith(simulator);
    var page = Http.get(verificationUrl, null);
    assertThat(page.status()).as(page.body()).isEqualTo(200);

    var submitted =
        Http.postForm(
            verificationUrl,
            Map.of(
                "legal_name", "Acme Yoga Ltd",
                "company_number", "01234567",
                "director", "Ada Osborne"));

    assertThat(submitted.status()).as(submitted.body()).isEqualTo(303);
    facts.await(
        r ->
            merchantId.equals(r.key())
                && "MerchantVerificationChanged".equals(r.header(EventHeaders.EVENT_TYPE))
                && r.value().contains("in_review"),
        Duration.ofSeconds(30));
  }

  @Test
  @Order(4)
  void step4APaymentIsTakenAndPaidOut() {
    String requestBody =
        """
        {"merchantId":"%s",
         "paymentRequest":{"amount":1500,"currency":"GBP","description":"Class pass"},
         "mandateRequest":{"scheme":"bacs","currency":"GBP","verify":"recommended"},
         "metadata":{"member":"%s"}}
        """
            .formatted(merchantId, TEAM_METADATA);
    String key = "order-" + UUID.randomUUID();
    // billing-service learns the merchant from merchants.connection, a moment after it connected.
    var created =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    Http.postJsonWithHeaders(
                        gateway + "/billing-requests",
                        token,
                        requestBody,
                        Map.of("Idempotency-Key", key)),
                response -> response.status() != 404);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    billingRequestId = created.json().path("id").asString();

    var flow =
        Http.postJson(
            gateway + "/billing-request-flows",
            token,
            """
            {"billingRequestId":"%s","redirectUri":"https://example.com/paid","exitUri":"https://example.com/exit"}
            """
                .formatted(billingRequestId));
    assertThat(flow.status()).as(flow.body()).isEqualTo(201);
    String paid =
        new SimulatedPayer(PAYER_GIVEN_NAME)
            .complete(flow.json().path("authorisationUrl").asString());
    assertThat(paid).as("the payer sent to the redirect URI").isEqualTo("https://example.com/paid");

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> apiGet("/billing-requests/" + billingRequestId).path("status").asString(),
            "fulfilled"::equals);
    var fulfilled = apiGet("/billing-requests/" + billingRequestId);
    paymentId = fulfilled.path("paymentId").asString();
    mandateId = fulfilled.path("mandateId").asString();
    customerId = fulfilled.path("customerId").asString();
    assertThat(customerId).startsWith("CU");
    assertThat(paymentId).startsWith("PM");
    assertThat(mandateId).startsWith("MD");
    facts
        .await(
            r ->
                billingRequestId.equals(r.key())
                    && "BillingRequestFulfilled".equals(r.header(EventHeaders.EVENT_TYPE)),
            Duration.ofSeconds(30))
        .hasHeader(EventHeaders.TENANT, TEAM);

    // The walkthrough's "advance 7 days", a day at a time until the payment is paid out and the
    // mandate active: the simulator's clock starts at the real date, and around Christmas and New
    // Year bank holidays put them later than 7 days.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              String status =
                  apiGet("/payments/" + paymentId).path("status").asString()
                      + " "
                      + apiGet("/mandates/" + mandateId).path("status").asString();
              if (!"paid_out active".equals(status)) {
                var advanced =
                    Http.postJson(simulator + "/_simulator/clock/advance?days=1", null, null);
                assertThat(advanced.status()).as(advanced.body()).isEqualTo(200);
              }
              return status;
            },
            "paid_out active"::equals);
    var payment = apiGet("/payments/" + paymentId);
    assertThat(payment.path("amount").asLong()).isEqualTo(1500);
    assertThat(payment.path("currency").asString()).isEqualTo("GBP");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> apiGet("/mandates/" + mandateId).path("status").asString(), "active"::equals);

    var confirmed = fact(Topics.BILLING_PAYMENT, paymentId, "PaymentConfirmed");
    assertThat(Http.json(confirmed.value()).path("amount").asLong()).isEqualTo(1500);
    assertThat(Http.json(confirmed.value()).path("currency").asString()).isEqualTo("GBP");
    var paidOut = fact(Topics.BILLING_PAYMENT, paymentId, "PaymentPaidOut");
    paidOutEvent = Http.json(paidOut.value()).path("gocardlessEventId").asString();
    paidOutTraceparent = paidOut.header(EventHeaders.TRACEPARENT);
    fact(Topics.BILLING_MANDATE, mandateId, "MandateActive");

    // notification-service delivered the fact to team-a's receiver, which verified its signature.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                output.stream()
                    .anyMatch(
                        line ->
                            line.startsWith("[sample-receiver] verified ")
                                && line.contains("\"type\":\"PaymentPaidOut\"")
                                && line.contains(paymentId)));
  }

  @Test
  @Order(5)
  void step4bAnOperatorFindsThePaidOutEventsWholeWayInTheTimeline() {
    String operator = printedValue(Pattern.compile("^\\s+OPERATOR=(\\S+)$"));
    assertThat(paidOutEvent).startsWith("EV");
    var wanted =
        List.of(
            "webhook-ingest-service delivery-received",
            "webhook-ingest-service inbox-stored",
            "webhook-ingest-service outbox-written",
            "webhook-ingest-service kafka-record",
            "billing-service consumed",
            "billing-service outbox-written",
            "billing-service kafka-record",
            "notification-service consumed",
            "notification-service notification-delivered");
    // Kafka placements are recorded in the background after each commit: asked until all are there.
    var steps =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> timelineSteps(operator, paidOutEvent), found -> found.containsAll(wanted));

    // In the order they happened: GoCardless's webhook, the inbox, the record on
    // gocardless.payments,
    // billing-service's projection and its PaymentPaidOut fact, notification-service's delivery.
    assertThat(steps).containsSubsequence(wanted);
  }

  @Test
  @Order(5)
  void step4cOneTraceRunsFromTheWebhookThroughBillingToNotification() {
    assertThat(paidOutTraceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    String traceId = paidOutTraceparent.split("-")[1];
    // Spans are exported in the background: asked until notification-service's apply of the
    // PaymentPaidOut fact has arrived with every ancestor up to the webhook's request.
    List<OtlpReceiver.ReceivedSpan> chain =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> notificationChain(traces.trace(traceId)),
                found -> !found.isEmpty() && !found.getFirst().service().isEmpty());
    // From the top: webhook-ingest-service's request, its outbox row's relay, billing-service's
    // apply of the GoCardless event and the relay of its fact, notification-service's apply.
    var top = chain.getFirst();
    assertThat(top.service()).isEqualTo("webhook-ingest-service");
    assertThat(top.kind()).isEqualTo("SPAN_KIND_SERVER");
    assertThat(chain.stream().map(OtlpReceiver.ReceivedSpan::service).toList())
        .containsSubsequence(
            "webhook-ingest-service", "billing-service", "billing-service", "notification-service")
        .endsWith("notification-service");
    assertThat(chain.stream().map(span -> span.service() + " " + span.kind()).toList())
        .containsSubsequence(
            "webhook-ingest-service SPAN_KIND_SERVER",
            "webhook-ingest-service SPAN_KIND_PRODUCER",
            "billing-service SPAN_KIND_CONSUMER",
            "billing-service SPAN_KIND_PRODUCER",
            "notification-service SPAN_KIND_CONSUMER");
  }

  /**
   * notification-service's consumer span of the trace with its ancestors, top first, followed
   * through the received spans' parent ids up to one whose parent was not received (the caller's,
   * which exports nothing); empty while no such consumer span or any ancestor is missing.
   */
  private static List<OtlpReceiver.ReceivedSpan> notificationChain(
      List<OtlpReceiver.ReceivedSpan> trace) {
    var byId = new LinkedHashMap<String, OtlpReceiver.ReceivedSpan>();
    trace.forEach(span -> byId.put(span.spanId(), span));
    for (var span : trace) {
      // Of billing.payment: one webhook may carry events of other resources (an organisation's,
      // applied by oauth-service), whose facts notification-service applies in the same trace.
      if (!span.service().equals("notification-service")
          || !span.kind().equals("SPAN_KIND_CONSUMER")
          || !span.name().endsWith(" apply " + Topics.BILLING_PAYMENT)) {
        continue;
      }
      var chain = new ArrayList<OtlpReceiver.ReceivedSpan>();
      for (var current = span; current != null; current = byId.get(current.parentSpanId())) {
        chain.addFirst(current);
      }
      if (chain.getFirst().service().equals("webhook-ingest-service")) {
        return chain;
      }
    }
    return List.of();
  }

  private List<String> timelineSteps(String operator, String id) {
    var answer = Http.get(gateway + "/operations/timeline?q=" + id, operator);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    var steps = new ArrayList<String>();
    answer
        .json()
        .path("steps")
        .forEach(
            step ->
                steps.add(step.path("service").asString() + " " + step.path("kind").asString()));
    return steps;
  }

  @Test
  @Order(6)
  void step6RecoveryReadsTheConnectedOrganisationOnItsScheduleAsItself() throws Exception {
    // The walkthrough's step 6, before step 5's disconnection, after which the organisation is no
    // longer read.
    String operator = printedValue(Pattern.compile("^\\s+OPERATOR=(\\S+)$"));
    // A scheduled pass reads the organisation connected in step 2 (its runs through the gateway,
    // with an operator's token): the issuer's token for webhook-ingest-service, oauth-service's
    // merchant token for it, the simulator's events API.
    JsonNode run =
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> {
                  var runs =
                      Http.get(
                          gateway + "/operations/recoveries?organisationId=" + organisationId,
                          operator);
                  assertThat(runs.status()).as(runs.body()).isEqualTo(200);
                  for (JsonNode each : runs.json()) {
                    if (!"running".equals(each.path("status").asString())) {
                      return each;
                    }
                  }
                  return null;
                },
                finished -> finished != null);
    assertThat(run.path("trigger").asString()).isEqualTo("schedule");
    assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
    assertThat(run.path("merchantId").asString()).isEqualTo(merchantId);
    // oauth-service handed the merchant's token to webhook-ingest-service as itself.
    try (var oauth =
            DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + ports.get("POSTGRES_PORT") + "/oauth_service",
                "postgres",
                "postgres");
        var query =
            oauth.prepareStatement(
                "select count(*) from token_access_audit where merchant_id = ?"
                    + " and caller_client_id = 'webhook-ingest-service' and outcome = 'granted'")) {
      query.setString(1, merchantId);
      try (var result = query.executeQuery()) {
        assertThat(result.next()).isTrue();
        assertThat(result.getInt(1)).isPositive();
      }
    }
  }

  @Test
  @Order(7)
  void step5TheMerchantDisconnectsAtGoCardless() {
    var disconnected =
        Http.postJson(
            simulator + "/_simulator/organisations/" + organisationId + "/disconnect", null, null);
    assertThat(disconnected.status()).as(disconnected.body()).isLessThan(300);

    facts.await(
        r ->
            merchantId.equals(r.key())
                && "MerchantDisconnected".equals(r.header(EventHeaders.EVENT_TYPE)),
        Duration.ofSeconds(30));
    assertThat(apiGet("/merchants/" + merchantId).path("status").asString())
        .isEqualTo("disconnected");
  }

  @Test
  @Order(8)
  void step7AnOperatorExportsWhatEveryServiceHoldsAboutThePayer() {
    String operator = printedValue(Pattern.compile("^\\s+OPERATOR=(\\S+)$"));

    var export = Http.get(gateway + "/operations/payers/" + customerId + "/export", operator);

    assertThat(export.status()).as(export.body()).isEqualTo(200);
    JsonNode joined = export.json();
    assertThat(joined.path("customerId").asString()).isEqualTo(customerId);
    assertThat(joined.path("unavailable").isEmpty()).as(joined.toString()).isTrue();
    JsonNode billing = joined.path("services").path("billing-service");
    assertThat(billing.path("records").path("payments").toString()).contains(paymentId);
    assertThat(billing.path("records").path("mandates").toString()).contains(mandateId);
    // GoCardless's events about the payer's resources (webhook-ingest-service) and the
    // notifications delivered about them (notification-service), found by billing's resource ids.
    assertThat(joined.path("services").path("webhook-ingest-service").toString())
        .contains(paymentId);
    assertThat(joined.path("services").path("notification-service").toString()).contains(paymentId);
  }

  @Test
  @Order(9)
  void step7bAnOperatorErasesThePayerInEveryServiceOnce() throws Exception {
    String operator = printedValue(Pattern.compile("^\\s+OPERATOR=(\\S+)$"));
    // What the payer typed on the hosted page, the team's metadata and the customer id itself.
    List<String> personal =
        List.of(
            PAYER_GIVEN_NAME,
            "payer@example.com",
            "27 Acer Road",
            "E8 3GX",
            "55779911",
            TEAM_METADATA,
            customerId);
    var before = holding(personal);
    // The search finds what it looks for: the customer id (GoCardless's events and billing's views
    // name it) and the team's metadata (in GoCardless's events as resource_metadata) are held.
    assertThat(before)
        .as("columns holding the payer's data before")
        .containsKeys(customerId, TEAM_METADATA);

    var requested =
        Http.postJson(gateway + "/operations/payers/" + customerId + "/erasure", operator, null);
    assertThat(requested.status()).as(requested.body()).isEqualTo(202);
    String requestId = requested.json().path("requestId").asString();
    JsonNode status =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  var read = Http.get(gateway + "/operations/erasures/" + requestId, operator);
                  assertThat(read.status()).as(read.body()).isEqualTo(200);
                  return read.json();
                },
                read -> read.path("complete").asBoolean());
    var services = new ArrayList<String>();
    for (JsonNode step : status.path("services")) {
      assertThat(step.path("status").asString()).as(status.toString()).isEqualTo("applied");
      services.add(step.path("service").asString());
    }
    assertThat(services)
        .containsExactlyInAnyOrder(
            "billing-service", "webhook-ingest-service", "notification-service");

    assertThat(holding(personal)).as("columns still holding the payer's data").isEmpty();
    // The financial records stay: ids, amounts, statuses.
    var payment = apiGet("/payments/" + paymentId);
    assertThat(payment.path("amount").asLong()).isEqualTo(1500);
    assertThat(payment.path("currency").asString()).isEqualTo("GBP");
    assertThat(payment.path("status").asString()).isEqualTo("paid_out");
    assertThat(apiGet("/mandates/" + mandateId).path("status").asString()).isEqualTo("active");
    assertThat(apiGet("/billing-requests/" + billingRequestId).path("customerId").asString())
        .startsWith("erased-");
    var acknowledged = acknowledgements(requestId);

    // The same request delivered again: each service's idempotent consumer changes nothing and
    // acknowledges nothing a second time.
    var original =
        facts.await(
            r ->
                requestId.equals(r.key())
                    && "PayerErasureRequested".equals(r.header(EventHeaders.EVENT_TYPE)),
            Duration.ofSeconds(10));
    long offset = redeliver(original);
    awaitConsumedPast(original.partition(), offset, services);
    List<KafkaTestConsumer.Received> applied = List.of();
    for (String service : services) {
      applied =
          facts.readPastMarker(
              database(service),
              Topics.PAYERS_ERASURE,
              r ->
                  requestId.equals(r.key())
                      && "PayerErasureApplied".equals(r.header(EventHeaders.EVENT_TYPE)),
              Duration.ofSeconds(30));
    }
    assertThat(applied).as("acknowledgements on payers.erasure").hasSize(services.size());
    assertThat(acknowledgements(requestId)).isEqualTo(acknowledged);
    assertThat(holding(personal)).isEmpty();
  }

  /**
   * The operator console in a real headless Chromium, opened through the gateway with the operator
   * token the stack prints, against the real services: the paid-out event's way through three
   * services in the timeline panel, every service's relay, and a real dead letter (an unreadable
   * record on {@code billing.payment}, dead-lettered by notification-service) replayed from the
   * page and audited. Screenshots go to {@code target/console-screenshots/}.
   */
  @Test
  @Order(10)
  void step8AnOperatorUsesTheConsoleAgainstTheRealServices() throws Exception {
    String operator = printedValue(Pattern.compile("^\\s+OPERATOR=(\\S+)$"));
    assertThat(paidOutEvent).startsWith("EV");
    // An unreadable fact: headers as billing-service's, a payload that is not JSON.
    String unreadable = UUID.randomUUID().toString();
    var properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaAddress());
    try (var producer =
        new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
      var record = new ProducerRecord<>(Topics.BILLING_PAYMENT, paymentId, "{not json");
      record.headers().add(EventHeaders.ID, unreadable.getBytes(StandardCharsets.UTF_8));
      record
          .headers()
          .add(EventHeaders.EVENT_TYPE, "PaymentConfirmed".getBytes(StandardCharsets.UTF_8));
      record.headers().add(EventHeaders.TENANT, TEAM.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get(30, TimeUnit.SECONDS);
    }
    // Dead-lettered at once (poison is not retried); listed once its dead-letter topic holds it.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> Http.get(gateway + "/operations/dead-letters?limit=50", operator).body(),
            body -> body.contains(unreadable) && body.contains("notification-service"));

    try (var console = ConsoleBrowser.start(Path.of("target", "console-screenshots"))) {
      var wait = console.waiting(Duration.ofSeconds(30));
      console.open(gateway + "/console/", operator);

      wait.until(
          ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#relays tbody tr"), 3));
      assertThat(console.column("relays", 0)).containsExactlyInAnyOrderElementsOf(SERVICES);
      assertThat(console.driver().findElement(By.id("relays-status")).getText())
          .doesNotContain("Not answering");
      console.screenshot("local-stack-relays.png");

      console.driver().findElement(By.id("timeline-q")).sendKeys(paidOutEvent);
      console.driver().findElement(By.id("timeline-search")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("timeline-status"), "steps for " + paidOutEvent));
      var services = console.column("timeline-steps", 1);
      var kinds = console.column("timeline-steps", 2);
      var steps = new ArrayList<String>();
      for (int i = 0; i < services.size(); i++) {
        steps.add(services.get(i) + " " + kinds.get(i));
      }
      assertThat(steps)
          .containsSubsequence(
              "webhook-ingest-service delivery-received",
              "webhook-ingest-service inbox-stored",
              "webhook-ingest-service kafka-record",
              "billing-service consumed",
              "billing-service kafka-record",
              "notification-service consumed",
              "notification-service notification-delivered");
      console.screenshot("local-stack-timeline.png");

      // The real dead letter, found by its event id, replayed from the page (billing-service reads
      // billing.payment too and may hold its own dead letter of the record: not the one chosen).
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("dead-letters"), unreadable));
      var rows =
          console.driver().findElements(By.cssSelector("#dead-letters tbody tr")).stream()
              .filter(r -> r.getText().contains(unreadable))
              .filter(r -> r.getText().contains("notification-service"))
              .toList();
      assertThat(rows).hasSize(1);
      var row = rows.getFirst();
      var cells = row.findElements(By.tagName("td"));
      assertThat(cells.get(1).getText()).isEqualTo("notification-service");
      assertThat(cells.get(2).getText()).isEqualTo(Topics.BILLING_PAYMENT);
      assertThat(cells.get(5).getText()).contains("not JSON");
      var box = row.findElement(By.cssSelector("input[type=checkbox]"));
      String letterId = box.getAttribute("value");
      console.screenshot("local-stack-dead-letter.png");
      box.click();
      console.driver().findElement(By.id("dead-letters-replay")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("dead-letters-status"), "Replayed 1"));

      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), letterId));
      var audited =
          console.driver().findElements(By.cssSelector("#audit tbody tr")).stream()
              .map(r -> r.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
              .filter(r -> r.get(4).equals(letterId))
              .toList();
      assertThat(audited)
          .singleElement()
          .satisfies(
              entry -> {
                assertThat(entry.get(1)).isEqualTo("notification-service");
                assertThat(entry.get(2)).isEqualTo("dead-letters.replayed");
              });
      console.screenshot("local-stack-replay-audited.png");
    }
  }

  @Test
  @Order(100)
  void sigtermStopsEveryProcessAndExitsWithStatusZero() throws Exception {
    var children = stack.descendants().toList();
    assertThat(children).as("services, PostgreSQL and Redis run as child processes").isNotEmpty();

    // SIGTERM, as kill does (Process.destroy would also close the pipe its output is read from).
    assertThat(stack.toHandle().destroy()).isTrue();

    assertThat(stack.waitFor(90, TimeUnit.SECONDS)).as("local-stack ended").isTrue();
    assertThat(stack.exitValue()).isZero();
    assertThat(children.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::info))
        .as("processes left behind")
        .isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> printed("[local-stack] Stopped"));
    assertThat(output)
        .as("nothing printed reads as a crash")
        .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception in thread"));
  }

  /**
   * For each value, the {@code service: table.column}s that hold it; values held nowhere left out.
   */
  private Map<String, List<String>> holding(List<String> values) {
    var found = new LinkedHashMap<String, List<String>>();
    for (String service : SERVICES) {
      var database = database(service);
      for (String value : values) {
        for (String column : ColumnSearch.columnsContaining(database, value)) {
          found.computeIfAbsent(value, v -> new ArrayList<>()).add(service + ": " + column);
        }
      }
    }
    return found;
  }

  private PGSimpleDataSource database(String service) {
    var database = new PGSimpleDataSource();
    database.setUrl(
        "jdbc:postgresql://localhost:"
            + ports.get("POSTGRES_PORT")
            + "/"
            + EmbeddedPostgresServer.databaseNameFor(service));
    database.setUser("postgres");
    database.setPassword("postgres");
    return database;
  }

  /** billing-service's acknowledgements of the request: service → rows changed. */
  private Map<String, Integer> acknowledgements(String requestId) throws Exception {
    var rows = new LinkedHashMap<String, Integer>();
    try (var connection = database("billing-service").getConnection();
        var query =
            connection.prepareStatement(
                "select service, rows_changed from erasure_acknowledgement"
                    + " where request_id = ?::uuid order by service")) {
      query.setString(1, requestId);
      try (var result = query.executeQuery()) {
        while (result.next()) {
          rows.put(result.getString(1), result.getInt(2));
        }
      }
    }
    return rows;
  }

  /** Publishes {@code record} again, headers and all, as a redelivery would; its offset. */
  private long redeliver(KafkaTestConsumer.Received record) throws Exception {
    var properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaAddress());
    try (var producer =
        new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
      var again =
          new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value());
      record
          .headers()
          .forEach(
              (name, value) -> again.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
      return producer.send(again).get(30, TimeUnit.SECONDS).offset();
    }
  }

  /** Waits until every service's consumer group has committed past {@code offset}. */
  private void awaitConsumedPast(int partition, long offset, List<String> groups) {
    var topicPartition = new TopicPartition(Topics.PAYERS_ERASURE, partition);
    try (var admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaAddress()))) {
      for (String group : groups) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  var committed =
                      admin
                          .listConsumerGroupOffsets(group)
                          .partitionsToOffsetAndMetadata()
                          .get()
                          .get(topicPartition);
                  return committed != null && committed.offset() > offset;
                });
      }
    }
  }

  private String kafkaAddress() {
    return printedValue(Pattern.compile("^\\s+Kafka\\s+(\\S+)$"));
  }

  private KafkaTestConsumer.Received fact(String topic, String key, String eventType) {
    return facts
        .await(
            r ->
                r.topic().equals(topic)
                    && key.equals(r.key())
                    && eventType.equals(r.header(EventHeaders.EVENT_TYPE)),
            Duration.ofSeconds(30))
        .hasHeader(EventHeaders.TENANT, TEAM);
  }

  private JsonNode apiGet(String path) {
    var response = Http.get(gateway + path, token);
    assertThat(response.status()).as("%s: %s", path, response.body()).isEqualTo(200);
    return response.json();
  }

  /** Follows redirects as a browser does, from {@code url}; the last answer. */
  private static Http.Response followAsABrowser(String url) {
    var response = Http.get(url, null);
    for (int hops = 0; hops < 5 && response.location() != null; hops++) {
      url = URI.create(url).resolve(response.location()).toString();
      response = Http.get(url, null);
    }
    return response;
  }

  /** The named inputs of an HTML page's form, with their values (a browser submits these). */
  private static Map<String, String> inputs(String html) {
    var fields = new LinkedHashMap<String, String>();
    Matcher input = INPUT.matcher(html);
    while (input.find()) {
      fields.putIfAbsent(input.group(1), input.group(2).replace("&amp;", "&"));
    }
    return fields;
  }

  private boolean printed(String text) {
    return output.stream().anyMatch(line -> line.contains(text));
  }

  private String printedValue(Pattern pattern) {
    return output.stream()
        .map(pattern::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("local-stack did not print " + pattern));
  }
}
