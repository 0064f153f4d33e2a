package io.paybridge.gateway.support;

import io.paybridge.platform.testsupport.EmbeddedRedisServer;
import io.paybridge.platform.testsupport.http.FaultyProxy;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway as it runs, on a random port, in front of real HTTP servers standing in for the
 * services ({@link Downstream}), checking tokens of the real OIDC issuer of test-support and
 * counting rates in a real Redis (embedded). Every IT extends this, so they share one Spring
 * context; {@link #properties()} starts a second replica with the same settings.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayHarness {

  public static final String API = "paybridge-api";

  public static final Downstream OAUTH = new Downstream("oauth-service");
  public static final Downstream BILLING = new Downstream("billing-service");
  public static final Downstream NOTIFICATION = new Downstream("notification-service");
  public static final Downstream WEBHOOK_INGEST = new Downstream("webhook-ingest-service");

  /** In front of notification-service: makes it slow or holds a request on demand. */
  public static final FaultyProxy NOTIFICATION_PROXY = FaultyProxy.to(NOTIFICATION.url());

  /** webhook-ingest-service's operator token, which the gateway presents to it. */
  public static final String WEBHOOK_INGEST_OPERATOR_TOKEN =
      "ingest-operator-" + java.util.UUID.randomUUID();

  public static final EmbeddedRedisServer REDIS = EmbeddedRedisServer.shared();
  public static final TestIssuer ISSUER = TestIssuer.get();

  @LocalServerPort protected int port;
  @LocalManagementPort protected int managementPort;

  /** The gateway's settings in these tests (limits and breakers small enough to reach). */
  public static Map<String, String> properties() {
    var p = new LinkedHashMap<String, String>();
    p.put("paybridge.security.jwt.issuer-uri", ISSUER.issuerUri());
    p.put("paybridge.security.jwt.audiences", API);
    p.put("spring.data.redis.host", REDIS.host());
    p.put("spring.data.redis.port", Integer.toString(REDIS.port()));
    p.put("paybridge.gateway.upstreams.oauth-service", OAUTH.url());
    p.put("paybridge.gateway.upstreams.billing-service", BILLING.url());
    p.put("paybridge.gateway.upstreams.notification-service", NOTIFICATION_PROXY.url());
    p.put("paybridge.gateway.upstreams.webhook-ingest-service", WEBHOOK_INGEST.url());
    p.put("management.server.port", "0");
    // The operator reads' services (the whole list: a list property is replaced, not merged).
    p.put("paybridge.gateway.operations.services[0].name", "webhook-ingest-service");
    p.put("paybridge.gateway.operations.services[0].url", WEBHOOK_INGEST.url());
    p.put("paybridge.gateway.operations.services[0].token", WEBHOOK_INGEST_OPERATOR_TOKEN);
    p.put("paybridge.gateway.operations.services[1].name", "oauth-service");
    p.put("paybridge.gateway.operations.services[1].url", OAUTH.url());
    p.put("paybridge.gateway.operations.services[2].name", "billing-service");
    p.put("paybridge.gateway.operations.services[2].url", BILLING.url());
    p.put("paybridge.gateway.operations.services[3].name", "notification-service");
    p.put("paybridge.gateway.operations.services[3].url", NOTIFICATION.url());
    p.put("paybridge.gateway.operations.timeout", "2s");
    p.put("logging.structured.format.console", "");
    // Out of the way of the other tests; the rate-limit tests use teams of their own.
    p.put("paybridge.gateway.rate-limits.defaults.replenish-rate", "1000");
    p.put("paybridge.gateway.rate-limits.defaults.burst-capacity", "2000");
    p.put("paybridge.gateway.rate-limits.routes.gocardless-webhooks.replenish-rate", "1000");
    p.put("paybridge.gateway.rate-limits.routes.gocardless-webhooks.burst-capacity", "2000");
    p.put("paybridge.gateway.rate-limits.routes.oauth-pages.replenish-rate", "1000");
    p.put("paybridge.gateway.rate-limits.routes.oauth-pages.burst-capacity", "2000");
    p.put("paybridge.gateway.rate-limits.teams.team-limited.merchants.replenish-rate", "1");
    p.put("paybridge.gateway.rate-limits.teams.team-limited.merchants.burst-capacity", "3");
    p.put("paybridge.gateway.rate-limits.teams.team-shared.merchants.replenish-rate", "1");
    p.put("paybridge.gateway.rate-limits.teams.team-shared.merchants.burst-capacity", "40");
    p.put("paybridge.gateway.resilience.services.billing-service.timeout", "10s");
    p.put("paybridge.gateway.resilience.services.billing-service.sliding-window-size", "4");
    p.put("paybridge.gateway.resilience.services.billing-service.minimum-number-of-calls", "4");
    p.put("paybridge.gateway.resilience.services.billing-service.wait-in-open-state", "2s");
    p.put(
        "paybridge.gateway.resilience.services.billing-service.permitted-calls-in-half-open-state",
        "2");
    // Long enough for a read and its two retries on a loaded machine; the slow-service test holds
    // its request past it.
    p.put("paybridge.gateway.resilience.services.notification-service.timeout", "3s");
    return p;
  }

  @DynamicPropertySource
  static void gatewaySettings(DynamicPropertyRegistry registry) {
    properties().forEach((key, value) -> registry.add(key, () -> value));
  }

  @BeforeEach
  void resetDownstreams() {
    for (var downstream : new Downstream[] {OAUTH, BILLING, NOTIFICATION, WEBHOOK_INGEST}) {
      downstream.clear();
      downstream.answer(0);
    }
    NOTIFICATION_PROXY.delay(java.time.Duration.ZERO);
  }

  protected String managementUrl(String path) {
    return "http://127.0.0.1:" + managementPort + path;
  }

  protected String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** A team member's token for the platform's API. */
  protected static String teamToken(String team, String... scopes) {
    return ISSUER.teamToken(team, API, scopes);
  }
}
