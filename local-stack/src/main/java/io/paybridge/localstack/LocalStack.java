package io.paybridge.localstack;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.platform.testsupport.EmbeddedPostgresServer;
import io.paybridge.platform.testsupport.EmbeddedRedisServer;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatorSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import no.nav.security.mock.oauth2.token.RequestMapping;
import no.nav.security.mock.oauth2.token.RequestMappingTokenCallback;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole platform on one machine with nothing installed but a JDK: embedded PostgreSQL (a
 * database per service) and Kafka in this JVM, the GoCardless simulator, and every service as a
 * process of its own from its executable jar, wired together. Runs until interrupted (Ctrl-C).
 *
 * <p>Ports can be changed with environment variables: {@code POSTGRES_PORT} (15432), {@code
 * SIMULATOR_PORT} (8089), {@code OIDC_ISSUER_PORT} (8180), {@code WEBHOOK_INGEST_PORT} (8082),
 * {@code OAUTH_PORT} (8081), {@code GATEWAY_PORT} (8080), {@code REDIS_PORT} (16379), {@code
 * BILLING_PORT} (8083) and {@code NOTIFICATION_PORT} (8084), and the management (actuator) ports
 * {@code WEBHOOK_INGEST_MANAGEMENT_PORT} (9082), {@code OAUTH_MANAGEMENT_PORT} (9081), {@code
 * BILLING_MANAGEMENT_PORT} (9083), {@code GATEWAY_MANAGEMENT_PORT} (9080). Kafka listens where the
 * embedded broker chooses; the walkthrough prints its address. Secrets (state signing and token
 * encryption keys) are generated at each start.
 */
public final class LocalStack {

  private static final String ISSUER_ID = "paybridge";
  private static final String OAUTH_AUDIENCE = "oauth-service";

  /** The audience of team tokens: the platform's API, behind the gateway. */
  private static final String API_AUDIENCE = "paybridge-api";

  private static final String TEAM_SCOPES =
      "merchants:read merchants:write payments:read payments:write notifications:read"
          + " notifications:write";
  private static final String TOKEN_SCOPE = "merchant-tokens:read";
  private static final String OPERATIONS_SCOPE = "operations:read";
  private static final String BILLING_AUDIENCE = "billing-service";

  private final Path root = Path.of("").toAbsolutePath();
  private final int postgresPort = port("POSTGRES_PORT", 15432);
  private final int simulatorPort = port("SIMULATOR_PORT", 8089);
  private final int webhookIngestPort = port("WEBHOOK_INGEST_PORT", 8082);
  private final int oauthPort = port("OAUTH_PORT", 8081);
  private final int gatewayPort = port("GATEWAY_PORT", 8080);
  private final int gatewayManagementPort = port("GATEWAY_MANAGEMENT_PORT", 9080);
  private final int redisPort = port("REDIS_PORT", 16379);
  private final int notificationPort = port("NOTIFICATION_PORT", 8084);
  private final int webhookIngestManagementPort = port("WEBHOOK_INGEST_MANAGEMENT_PORT", 9082);
  private final int oauthManagementPort = port("OAUTH_MANAGEMENT_PORT", 9081);
  private final int issuerPort = port("OIDC_ISSUER_PORT", 8180);
  private final int billingPort = port("BILLING_PORT", 8083);
  private final int billingManagementPort = port("BILLING_MANAGEMENT_PORT", 9083);
  private final int notificationManagementPort = port("NOTIFICATION_MANAGEMENT_PORT", 9084);
  private final int sampleReceiverPort = port("SAMPLE_RECEIVER_PORT", 8085);
  private NotificationSandbox notificationSandbox;
  private final List<ServiceProcess> services = new ArrayList<>();
  private EmbeddedPostgresServer postgres;
  private EmbeddedKafkaServer kafka;
  private GoCardlessSimulator simulator;
  private MockOAuth2Server issuer;
  private EmbeddedRedisServer redis;
  private volatile boolean running = true;

  public static void main(String[] args) throws Exception {
    var stack = new LocalStack();
    Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
    stack.start();
    stack.watchGoCardlessTopics();
  }

  void start() throws Exception {
    step("Starting embedded PostgreSQL 17 on port " + postgresPort);
    postgres = EmbeddedPostgresServer.shared(postgresPort);
    step("Starting embedded Kafka (KRaft)");
    kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(watchedTopics().toArray(String[]::new));

    step("Starting the development OIDC issuer on port " + issuerPort);
    issuer = new MockOAuth2Server(billingServiceCredentials());
    issuer.start(issuerPort);

    step("Starting Redis (the gateway's rate limits) on port " + redisPort);
    redis = EmbeddedRedisServer.start(redisPort);

    // GoCardless's webhooks and the payer's browser come through the gateway, as in production.
    String gateway = "http://localhost:" + gatewayPort;
    String webhookUrl = gateway + "/webhooks/gocardless";
    String oauthCallback = gateway + "/oauth/callback";
    step("Starting the GoCardless simulator on port " + simulatorPort);
    simulator =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withPort(simulatorPort)
                .withRedirectUris(List.of(oauthCallback))
                .withWebhookEndpoint(webhookUrl, SimulatorSettings.DEFAULT_WEBHOOK_SECRET));

    startService(
        "webhook-ingest-service",
        webhookIngestPort,
        webhookIngestManagementPort,
        Map.of("paybridge.webhooks.gocardless.secrets", SimulatorSettings.DEFAULT_WEBHOOK_SECRET));
    startService(
        "oauth-service",
        oauthPort,
        oauthManagementPort,
        Map.ofEntries(
            // The local profile allows development defaults; the issuer is still given, its port
            // may move.
            Map.entry("spring.profiles.active", "local"),
            Map.entry("paybridge.security.jwt.issuer-uri", issuerUri()),
            // Its own name for service calls, the API's for team calls through the gateway.
            Map.entry("paybridge.security.jwt.audiences", OAUTH_AUDIENCE + "," + API_AUDIENCE),
            Map.entry("paybridge.oauth.gocardless.api-url", simulator.baseUrl()),
            Map.entry("paybridge.oauth.gocardless.connect-url", simulator.connectUrl()),
            // The simulator's verification page has no login to tell it the merchant: the link
            // names it.
            Map.entry(
                "paybridge.oauth.gocardless.verify-url",
                simulator.baseUrl() + "/verify?organisation={organisation}"),
            Map.entry("paybridge.oauth.gocardless.client-id", SimulatorSettings.DEFAULT_CLIENT_ID),
            Map.entry(
                "paybridge.oauth.gocardless.client-secret",
                SimulatorSettings.DEFAULT_CLIENT_SECRET),
            Map.entry("paybridge.oauth.gocardless.redirect-uri", oauthCallback),
            Map.entry("paybridge.oauth.connect.state-signing-key", randomKey()),
            Map.entry("paybridge.oauth.token-encryption.keys.local1", randomKey()),
            Map.entry("paybridge.oauth.token-encryption.active-key-id", "local1")));

    startService(
        "billing-service",
        billingPort,
        billingManagementPort,
        Map.ofEntries(
            Map.entry("spring.profiles.active", "local"),
            Map.entry("paybridge.security.jwt.issuer-uri", issuerUri()),
            Map.entry("paybridge.gocardless.base-url", simulator.baseUrl() + "/"),
            Map.entry("paybridge.gocardless.environment", "simulator"),
            Map.entry("paybridge.gocardless.merchant-tokens-url", "http://localhost:" + oauthPort),
            Map.entry(
                "spring.security.oauth2.client.provider.paybridge-idp.token-uri",
                issuerUri() + "/token"),
            Map.entry(
                "spring.security.oauth2.client.registration.oauth-service.client-secret",
                randomKey())));

    notificationSandbox = NotificationSandbox.start(sampleReceiverPort);
    startService(
        "notification-service",
        notificationPort,
        notificationManagementPort,
        Map.ofEntries(
            // The local profile accepts http:// receivers and allow-lists loopback.
            Map.entry("spring.profiles.active", "local"),
            Map.entry("paybridge.security.jwt.issuer-uri", issuerUri()),
            Map.entry("paybridge.notification.secrets.keys.local1", randomKey()),
            Map.entry("paybridge.notification.secrets.active-key-id", "local1"),
            Map.entry("spring.mail.host", "127.0.0.1"),
            Map.entry("spring.mail.port", Integer.toString(notificationSandbox.smtpPort()))));
    notificationSandbox.subscribe(
        "http://localhost:" + notificationPort,
        issuer
            .issueToken(
                ISSUER_ID,
                "developer@team-a",
                "notification-service",
                Map.of("team", "team-a", "scope", "notifications:read notifications:write"),
                12 * 3600)
            .serialize(),
        "team-a");
    step(
        "notification-service on port "
            + notificationPort
            + ": team-a's facts go to the sample receiver "
            + notificationSandbox.receiverUrl()
            + " ([sample-receiver] lines) and to team-a@paybridge.local ([smtp-catcher] lines)");

    startGateway();

    printWalkthrough(webhookUrl);
  }

  /**
   * The development issuer answers billing-service's client-credentials request (scope {@code
   * merchant-tokens:read}) with what the company IdP would issue it: a token for oauth-service
   * naming the client and the scope.
   */
  private static OAuth2Config billingServiceCredentials() {
    var mapping =
        new RequestMapping(
            "scope",
            TOKEN_SCOPE,
            Map.of(
                "sub",
                "billing-service",
                "aud",
                List.of(OAUTH_AUDIENCE),
                "client_id",
                "billing-service",
                "scope",
                TOKEN_SCOPE),
            "JWT");
    return new OAuth2Config(
        false,
        null,
        null,
        false,
        new OAuth2TokenProvider(),
        java.util.Set.of(new RequestMappingTokenCallback(ISSUER_ID, List.of(mapping), 3600)));
  }

  /** The gateway: no database, no Kafka; the issuer, Redis and where each service listens. */
  private void startGateway() throws IOException, InterruptedException {
    var arguments =
        List.of(
            "--server.port=" + gatewayPort,
            "--management.server.port=" + gatewayManagementPort,
            "--logging.structured.format.console=",
            "--paybridge.security.jwt.issuer-uri=" + issuerUri(),
            "--spring.data.redis.host=127.0.0.1",
            "--spring.data.redis.port=" + redisPort,
            "--paybridge.gateway.upstreams.oauth-service=http://localhost:" + oauthPort,
            "--paybridge.gateway.upstreams.webhook-ingest-service=http://localhost:"
                + webhookIngestPort,
            "--paybridge.gateway.upstreams.billing-service=http://localhost:" + billingPort,
            "--paybridge.gateway.upstreams.notification-service=http://localhost:"
                + notificationPort);
    var gateway =
        new ServiceProcess(
            "gateway-service",
            root.resolve("gateway-service/target"),
            gatewayPort,
            gatewayManagementPort,
            arguments,
            root.resolve("local-stack/target/logs"));
    services.add(gateway);
    step(
        "Starting gateway-service on port "
            + gatewayPort
            + ", management port "
            + gatewayManagementPort
            + " (log: "
            + gateway.log()
            + ")");
    gateway.start();
    gateway.awaitReady(Duration.ofMinutes(3));
  }

  private void startService(String name, int port, int managementPort, Map<String, String> extra)
      throws IOException, InterruptedException {
    var service =
        ServiceProcess.embedded(
            name,
            root,
            port,
            managementPort,
            postgres.jdbcUrl(EmbeddedPostgresServer.databaseNameFor(name)),
            kafka.bootstrapServers(),
            extra,
            root.resolve("local-stack/target/logs"));
    services.add(service);
    step(
        "Starting "
            + name
            + " on port "
            + port
            + ", management port "
            + managementPort
            + " (log: "
            + service.log()
            + ")");
    service.start();
    service.awaitReady(Duration.ofMinutes(3));
  }

  private String issuerUri() {
    return issuer.issuerUrl(ISSUER_ID).toString();
  }

  /** A team's access token for the API (through the gateway), as the company IdP would issue it. */
  private String teamToken(String team) {
    return issuer
        .issueToken(
            ISSUER_ID,
            "developer@" + team,
            API_AUDIENCE,
            Map.of("team", team, "scope", TEAM_SCOPES),
            12 * 3600)
        .serialize();
  }

  /** A team's token for billing-service: read and write payments. */
  private String billingTeamToken(String team) {
    return issuer
        .issueToken(
            ISSUER_ID,
            "developer@" + team,
            BILLING_AUDIENCE,
            Map.of("team", team, "scope", "payments:read payments:write"),
            12 * 3600)
        .serialize();
  }

  /** An operator's token for oauth-service's health details and metrics (management port). */
  private String operationsToken() {
    return issuer
        .issueToken(
            ISSUER_ID,
            "operator@local",
            OAUTH_AUDIENCE,
            Map.of("scope", OPERATIONS_SCOPE),
            12 * 3600)
        .serialize();
  }

  /** billing-service's client-credentials token for oauth-service's internal token endpoint. */
  private String billingServiceToken() {
    return issuer
        .issueToken(
            ISSUER_ID,
            "billing-service",
            OAUTH_AUDIENCE,
            Map.of("client_id", "billing-service", "scope", TOKEN_SCOPE),
            12 * 3600)
        .serialize();
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static List<String> watchedTopics() {
    var topics = new ArrayList<>(Topics.gocardlessTopics());
    topics.add(Topics.MERCHANTS_CONNECTION);
    topics.add(Topics.BILLING_BILLING_REQUEST);
    topics.add(Topics.BILLING_MANDATE);
    topics.add(Topics.BILLING_PAYMENT);
    return topics;
  }

  private void printWalkthrough(String webhookUrl) {
    String sample =
        "{\"events\":[{\"id\":\"EV"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase()
            + "\",\"created_at\":\"2026-03-02T10:15:50.733Z\",\"resource_type\":\"payments\",\"action\":\"confirmed\","
            + "\"links\":{\"payment\":\"PM00ABCD1234XY\",\"organisation\":\"OR0000SIMACME1\"},"
            + "\"details\":{\"origin\":\"gocardless\",\"cause\":\"payment_confirmed\"},\"metadata\":{}}],"
            + "\"meta\":{\"webhook_id\":\"WB0000LOCAL01\"}}";
    String oauth = "http://localhost:" + oauthPort;
    String billing = "http://localhost:" + billingPort;
    String webhookIngestManagement = "http://localhost:" + webhookIngestManagementPort;
    String oauthManagement = "http://localhost:" + oauthManagementPort;
    String gateway = "http://localhost:" + gatewayPort;
    String gatewayManagement = "http://localhost:" + gatewayManagementPort;
    System.out.printf(
        """

        ================================================================================
         PayBridge local stack is up
        ================================================================================
         PostgreSQL       localhost:%d  user postgres / postgres, a database per service:
                          psql -h localhost -p %d -U postgres webhook_ingest_service   (or oauth_service)
         Kafka            %s
                          kcat -b %s -C -t gocardless.payments -f '%%t %%k %%h\\n%%s\\n'
         OIDC issuer      %s
         GoCardless sim   %s   (state and control: %s/_simulator)
         gateway          %s   (the teams' entrance; Swagger UI of every service: %s/swagger-ui.html)
                          management %s (curl -s %s/actuator/health/readiness);
                          rate limits in Redis at localhost:%d
         webhook-ingest   %s
                          management (actuator, internal network only) %s:
                          curl -s %s/actuator/health | jq        (details: db, kafka, outboxRelay)
                          curl -s %s/actuator/prometheus | grep ^paybridge_
         oauth-service    %s   (API docs %s/v3/api-docs)
                          management %s: probes and Prometheus open, the rest with an operator's token:
                          OPS=%s
                          curl -s %s/actuator/health -H "Authorization: Bearer $OPS" | jq

         Team calls go through the gateway with a team token (audience paybridge-api, team team-a,
         the merchants/payments/notifications read and write scopes); GoCardless's webhooks and the
         OAuth callback come through it too, without a token.

         1. Send a signed sample webhook through the gateway (signed with the simulator's secret, %s):

           BODY='%s'
           SIG=$(printf '%%s' "$BODY" | openssl dgst -sha256 -hmac %s | sed 's/^.* //')
           curl -i %s -H "Webhook-Signature: $SIG" -H 'Content-Type: application/json' --data-binary "$BODY"

         2. Connect a simulated merchant for team-a:

           TOKEN=%s
           curl -s -X POST %s/merchant-connections -H "Authorization: Bearer $TOKEN" \\
                -H 'Content-Type: application/json' -d '{"companyName":"Acme Yoga"}'
           # open the authorisationUrl it returns in a browser; on the simulator's consent page choose
           # "Create a new organisation" (its name is prefilled with the companyName above) and Connect;
           # you are sent back through %s/oauth/callback. An existing organisation whose name differs
           # from companyName is held for review (status needs_review): confirm it with
           #   curl -s -X POST %s/merchants/<merchantId>/confirmation -H "Authorization: Bearer $TOKEN"
           # then:
           curl -s %s/merchants -H "Authorization: Bearer $TOKEN"
           # what billing-service does to call GoCardless for the merchant (allow-listed client),
           # straight to oauth-service: the gateway never routes /internal/** (it answers 404)
           BILLING=%s
           curl -s %s/internal/merchants/<merchantId>/access-token -H "Authorization: Bearer $BILLING"

         3. The new merchant's verification is action_required: open the merchant's verificationUrl (from
            step 2) in a browser and submit the form. The creditor goes in_review (creditors.updated,
            then MerchantVerificationChanged); after the review delay (5 minutes) it is successful.
            To skip the wait, move the simulator's clock:

           curl -X POST '%s/_simulator/clock/advance?minutes=5'

         4. The merchant revokes access at GoCardless: the simulator sends the organisations.disconnected
            webhook, webhook-ingest publishes it, oauth-service disconnects the merchant:

           curl -X POST %s/_simulator/organisations/<organisationId from step 2>/disconnect

         5. Take a payment for the merchant connected in step 2 (billing-service %s, API docs
            %s/v3/api-docs, management %s): a billing request with a one-off payment and a
            mandate, then the hosted page for the payer:

           PAY=%s
           curl -s -X POST %s/billing-requests -H "Authorization: Bearer $PAY" -H 'Idempotency-Key: order-1' \
                -H 'Content-Type: application/json' -d '{"merchantId":"<merchantId from step 2>",
                  "paymentRequest":{"amount":1500,"currency":"GBP","description":"Class pass"},
                  "mandateRequest":{"scheme":"bacs","currency":"GBP","verify":"recommended"}}'
           curl -s -X POST %s/billing-request-flows -H "Authorization: Bearer $PAY" \
                -H 'Content-Type: application/json' -d '{"billingRequestId":"<id from above>",
                  "redirectUri":"https://example.com/paid","exitUri":"https://example.com/exit"}'
           # (billing-service learns the merchant from merchants.connection: right after step 2 it may
           # answer 404 merchant-not-found for a moment)
           # open its authorisationUrl in a browser and complete the payer's steps; the simulator's
           # webhooks reach webhook-ingest, billing-service projects them and publishes
           # BillingRequestFulfilled on billing.billing-request (printed below). Then:
           curl -s %s/billing-requests/<id> -H "Authorization: Bearer $PAY"   # status fulfilled, mandateId, paymentId
           # move the simulated clock: the mandate becomes active, the payment is confirmed and paid out
           curl -X POST '%s/_simulator/clock/advance?days=7'
           curl -s %s/mandates/<mandateId> -H "Authorization: Bearer $PAY"
           curl -s %s/payments/<paymentId> -H "Authorization: Bearer $PAY"
           # a recurring payment on the mandate (MandateActive, PaymentConfirmed, PaymentPaidOut follow)
           curl -s -X POST %s/payments -H "Authorization: Bearer $PAY" -H 'Idempotency-Key: month-1' \
                -H 'Content-Type: application/json' -d '{"mandateId":"<mandateId>","amount":2500,"currency":"GBP"}'
           curl -X POST '%s/_simulator/clock/advance?days=10'

         Every event that reaches Kafka is printed below as it arrives. Ctrl-C stops everything.
        ================================================================================

        """,
        postgresPort,
        postgresPort,
        kafka.bootstrapServers(),
        kafka.bootstrapServers(),
        issuerUri(),
        simulator.baseUrl(),
        simulator.baseUrl(),
        gateway,
        gateway,
        gatewayManagement,
        gatewayManagement,
        redisPort,
        "http://localhost:" + webhookIngestPort + "/webhooks/gocardless",
        webhookIngestManagement,
        webhookIngestManagement,
        webhookIngestManagement,
        oauth,
        oauth,
        oauthManagement,
        operationsToken(),
        oauthManagement,
        SimulatorSettings.DEFAULT_WEBHOOK_SECRET,
        sample,
        SimulatorSettings.DEFAULT_WEBHOOK_SECRET,
        webhookUrl,
        teamToken("team-a"),
        gateway,
        gateway,
        gateway,
        gateway,
        billingServiceToken(),
        oauth,
        simulator.baseUrl(),
        simulator.baseUrl(),
        billing,
        billing,
        "http://localhost:" + billingManagementPort,
        billingTeamToken("team-a"),
        billing,
        billing,
        billing,
        simulator.baseUrl(),
        billing,
        billing,
        billing,
        simulator.baseUrl());
  }

  /** Prints every record published to a gocardless.* topic, so a developer sees events arrive. */
  void watchGoCardlessTopics() {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-watch-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    try (var consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(watchedTopics());
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          var eventType = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
          var id = record.headers().lastHeader(EventHeaders.ID);
          System.out.printf(
              "  kafka  %-28s key=%-16s %s id=%s%n",
              record.topic(),
              record.key(),
              eventType == null ? "" : new String(eventType.value(), StandardCharsets.UTF_8),
              id == null ? "" : new String(id.value(), StandardCharsets.UTF_8));
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException
        | org.apache.kafka.common.errors.WakeupException e) {
      // stopping
    }
  }

  void stop() {
    running = false;
    step("Stopping");
    for (var service : services.reversed()) {
      service.stop();
    }
    if (notificationSandbox != null) {
      notificationSandbox.close();
    }
    if (simulator != null) {
      simulator.close();
    }
    if (issuer != null) {
      issuer.shutdown();
    }
    if (redis != null) {
      redis.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static void step(String message) {
    System.out.println("[local-stack] " + message);
  }

  private static int port(String variable, int fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }
}
