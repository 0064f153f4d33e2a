package io.paybridge.oauth.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.KafkaTestConsumer.Received;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The base of every integration test: one application context for the whole suite, on the embedded
 * PostgreSQL and Kafka, the simulator and the OIDC issuer of {@link TestWorld}, with the service's
 * clock following the simulator's ({@link SimulatedTime}).
 */
@IntegrationTest
@Import(SimulatedTime.class)
public abstract class IntegrationHarness {

  protected static final TestWorld world = TestWorld.get();

  @Autowired protected JdbcTemplate jdbc;
  @Autowired private Environment environment;

  @DynamicPropertySource
  static void world(DynamicPropertyRegistry properties) {
    // The port was chosen before the simulator started, so that its app registers our callback.
    properties.add("server.port", () -> world.servicePort);
    properties.add("paybridge.security.jwt.issuer-uri", world::issuerUri);
    properties.add("paybridge.security.jwt.audiences", () -> TestWorld.AUDIENCE);
    // The keys come through a proxy that tests can take down; refreshed often so that they can
    // watch a refresh fail while requests go on with the cached keys.
    properties.add("paybridge.security.jwt.jwks-uri", world::jwksUri);
    properties.add("paybridge.security.jwt.refresh-interval", () -> "1s");
    properties.add("paybridge.security.jwt.read-timeout", () -> "1s");
    properties.add("paybridge.oauth.gocardless.api-url", world.gocardless::url);
    properties.add("paybridge.oauth.gocardless.connect-url", world.gocardless::url);
    properties.add("paybridge.oauth.gocardless.verify-url", TestWorld::verifyUrlTemplate);
    properties.add(
        "paybridge.oauth.gocardless.redirect-uri", () -> TestWorld.callbackUrl(world.servicePort));
  }

  /**
   * Every matching {@code merchants.connection} record this service published before now, read past
   * a marker the relay publishes after them: a late or duplicate record would be read.
   */
  protected List<KafkaTestConsumer.Received> publishedSoFar(
      KafkaTestConsumer kafka, Predicate<KafkaTestConsumer.Received> match) {
    return kafka.readPastMarker(
        jdbc.getDataSource(), Topics.MERCHANTS_CONNECTION, match, Duration.ofSeconds(30));
  }

  protected String url(String path) {
    return "http://127.0.0.1:" + world.servicePort + path;
  }

  /** On the management port (actuator). */
  protected String managementUrl(String path) {
    return "http://127.0.0.1:" + environment.getRequiredProperty("local.management.port") + path;
  }

  /** Starts a connection for {@code team}; returns the answer (merchantId, authorisationUrl). */
  protected Http.Response startConnection(String team, String body) {
    var response = Http.postJson(url("/merchant-connections"), world.teamToken(team), body);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response;
  }

  /**
   * The merchant's browser at GoCardless: opens the consent page and approves (for a new
   * organisation, or an existing one) or denies, with the name and email the link pre-filled.
   * Returns where GoCardless redirects it (our callback URL with code/error and state).
   */
  protected String consent(String authorisationUrl, String organisation, boolean approve) {
    Map<String, String> params = Http.query(authorisationUrl);
    String name = params.get("prefill[organisation_name]");
    String email = params.get("prefill[email]");
    return consent(
        authorisationUrl,
        organisation,
        name == null ? "Merchant " + System.nanoTime() : name,
        email == null ? "owner@merchant.test" : email,
        approve);
  }

  /**
   * The browser of whoever opened the link: the form filled in with its own organisation name and
   * email (a new organisation is created with them).
   */
  protected String consent(
      String authorisationUrl,
      String organisation,
      String organisationName,
      String email,
      boolean approve) {
    var page = Http.get(authorisationUrl, null);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    Map<String, String> params = Http.query(authorisationUrl);
    var form = new LinkedHashMap<String, String>();
    form.put("client_id", params.get("client_id"));
    form.put("redirect_uri", params.get("redirect_uri"));
    form.put("scope", params.get("scope"));
    form.put("state", params.get("state"));
    form.put("organisation", organisation == null ? "new" : organisation);
    form.put("organisation_name", organisationName);
    form.put("email", email);
    form.put("decision", approve ? "approve" : "deny");
    String consentUrl = authorisationUrl.substring(0, authorisationUrl.indexOf('?'));
    var decision = Http.postForm(consentUrl, form);
    assertThat(decision.status()).as(decision.body()).isEqualTo(302);
    return decision.location();
  }

  /** The whole journey for a new organisation; returns the merchant id. */
  protected String connectNewMerchant(String team) {
    var started = startConnection(team, "{}").json();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);
    var back = Http.get(callback, null);
    assertThat(back.status()).as(back.body()).isEqualTo(303);
    assertThat(Http.query(back.location())).containsEntry("outcome", "connected");
    return started.get("merchantId").asString();
  }

  /** The merchant as {@code team} sees it (GET /merchants/{id}). */
  protected JsonNode view(String team, String merchantId) {
    return Http.get(url("/merchants/" + merchantId), world.teamToken(team)).json();
  }

  /** The merchant's connection status, as {@code team} sees it. */
  protected String statusOf(String team, String merchantId) {
    return Http.get(url("/merchants/" + merchantId), world.teamToken(team))
        .json()
        .get("status")
        .asString();
  }

  /** The merchant's access token, from the internal endpoint, as the billing service. */
  protected String token(String merchantId) {
    return Http.get(
            url("/internal/merchants/" + merchantId + "/access-token"),
            world.serviceToken("billing-service", true))
        .json()
        .get("accessToken")
        .asString();
  }

  /** The status of GET /creditors at the simulator with {@code accessToken}. */
  protected int creditorsStatus(String accessToken) {
    return Http.getWithHeaders(
            world.simulator.baseUrl() + "/creditors",
            accessToken,
            Map.of("GoCardless-Version", "2015-07-06"))
        .status();
  }

  /** How many token rows the merchant has. */
  protected int tokenRows(String merchantId) {
    return jdbc.queryForObject(
        "select count(*) from merchant_token where merchant_id = ?", Integer.class, merchantId);
  }

  /** The merchant's stored (encrypted) token. */
  protected String ciphertextOf(String merchantId) {
    return jdbc.queryForObject(
        "select ciphertext from merchant_token where merchant_id = ?", String.class, merchantId);
  }

  /** Waits for a fact of {@code type} about the merchant on merchants.connection. */
  protected static void awaitFact(KafkaTestConsumer kafka, String merchantId, String type) {
    kafka.await(r -> merchantId.equals(r.key()) && type.equals(r.header(EventHeaders.EVENT_TYPE)));
  }

  /** Waits for the MerchantVerificationChanged fact to {@code status} about the merchant. */
  protected static Received awaitVerification(
      KafkaTestConsumer kafka, String merchantId, String status) {
    return kafka.await(
        r ->
            merchantId.equals(r.key())
                && "MerchantVerificationChanged".equals(r.header(EventHeaders.EVENT_TYPE))
                && r.value().contains("\"verificationStatus\":\"" + status + "\""));
  }

  /** Runs the simulator's creditor verification scenario to {@code status} for the creditor. */
  protected void runVerificationScenario(String accessToken, String creditorId, String status) {
    var run =
        Http.postJsonWithHeaders(
            world.simulator.baseUrl()
                + "/scenario_simulators/creditor_verification_status_"
                + status
                + "/actions/run",
            accessToken,
            "{\"data\":{\"links\":{\"resource\":\"" + creditorId + "\"}}}",
            Map.of("GoCardless-Version", "2015-07-06"));
    assertThat(run.status()).as(run.body()).isEqualTo(200);
  }
}
