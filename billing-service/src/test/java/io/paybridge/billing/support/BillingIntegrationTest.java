package io.paybridge.billing.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.platform.events.merchants.MerchantConnectionEvent;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantDisconnected;
import io.paybridge.platform.testsupport.IntegrationTest;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.simulator.SimulatedOrganisation;
import io.paybridge.simulator.SimulatedPayer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The one Spring context of billing-service's integration tests, pointed at {@link BillingWorld},
 * and what the tests do as a team would: connect a merchant (its merchants.connection fact), call
 * the API, pay on the hosted page, deliver GoCardless's events.
 */
@IntegrationTest
public abstract class BillingIntegrationTest {

  @LocalServerPort protected int port;
  @Autowired protected ObjectMapper mapper;
  @Autowired protected JdbcTemplate jdbc;

  protected final BillingWorld world = BillingWorld.get();

  @DynamicPropertySource
  static void world(DynamicPropertyRegistry registry) {
    var world = BillingWorld.get();
    registry.add("paybridge.security.jwt.issuer-uri", world.issuer::issuerUri);
    registry.add("paybridge.security.jwt.jwks-uri", world.issuer::jwksUri);
    registry.add("paybridge.gocardless.base-url", world.gocardless::url);
    registry.add("paybridge.gocardless.merchant-tokens-url", world.merchantTokens::url);
    registry.add(
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri",
        () -> world.issuer.issuerUri() + "/token");
  }

  /**
   * A new merchant of {@code team} on a new organisation, connected as oauth-service announces it.
   */
  protected Connected connectNewMerchant(String team, String name) {
    return connectMerchant(team, world.simulator.createOrganisation(name, "successful"));
  }

  /**
   * A merchant of {@code team} on an existing organisation, connected as oauth-service announces
   * it.
   */
  protected Connected connectMerchant(String team, SimulatedOrganisation organisation) {
    String merchantId = UUID.randomUUID().toString();
    world.merchantTokens.connect(
        merchantId, organisation.organisationId(), organisation.accessToken());
    announce(
        new MerchantConnected(
            merchantId,
            team,
            organisation.organisationId(),
            organisation.creditorId(),
            "successful",
            Instant.now()));
    return new Connected(merchantId, team, organisation);
  }

  /**
   * A merchant of {@code team} on an existing organisation, announced as disconnected by
   * oauth-service (its connection ended: the merchant revoked PayBridge's access).
   */
  protected String disconnectedMerchant(String team, SimulatedOrganisation organisation) {
    String merchantId = UUID.randomUUID().toString();
    announce(
        new MerchantDisconnected(
            merchantId, team, organisation.organisationId(), "revoked_by_merchant", Instant.now()));
    return merchantId;
  }

  /**
   * Publishes a merchants.connection fact as oauth-service's relay would (the contract's topic, key
   * and headers), then waits until billing-service has applied it.
   */
  private void announce(MerchantConnectionEvent fact) {
    world.events.send(fact.toOutboxEvent(mapper.writeValueAsString(fact)));
    boolean connected = fact instanceof MerchantConnected;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.queryForObject(
                        "select count(*) from merchant where id = ? and connected = ?",
                        Integer.class,
                        fact.merchantId(),
                        connected)
                    == 1);
  }

  public record Connected(String merchantId, String team, SimulatedOrganisation organisation) {}

  protected String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  protected String writer(String team) {
    return world.teamToken(team, "payments:read", "payments:write");
  }

  protected JsonNode get(String team, String path) {
    var response = Http.get(url(path), writer(team));
    assertThat(response.status()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return response.json();
  }

  protected String status(String team, String path) {
    return get(team, path).path("status").asString();
  }

  protected Http.Response post(String team, String path, String json) {
    return Http.postJson(url(path), writer(team), json);
  }

  protected Http.Response postWithKey(String team, String path, String key, String json) {
    return Http.postJsonWithHeaders(url(path), writer(team), json, Map.of("Idempotency-Key", key));
  }

  /** Publishes every event of the organisation so far, as webhook-ingest-service would. */
  protected void deliverEventsOf(SimulatedOrganisation organisation) {
    world.eventsOf(organisation).forEach(world.events::publish);
  }

  /**
   * Moves the simulator's clock a day at a time until GoCardless (the simulator) shows the resource
   * ({@code resources} as in GoCardless's paths: payments, mandates, refunds) in {@code status},
   * then delivers the organisation's events. The suite shares one simulated clock that starts at
   * the real date and that every test moves on, so a fixed number of days can end short of a status
   * when the simulated weeks cross bank holidays (Christmas, New Year).
   */
  protected void advanceUntil(
      SimulatedOrganisation organisation, String resources, String id, String status) {
    advanceUntilAtGoCardless(organisation, resources, id, status);
    deliverEventsOf(organisation);
  }

  /** {@link #advanceUntil} without delivering the events: the test delivers them its own way. */
  protected void advanceUntilAtGoCardless(
      SimulatedOrganisation organisation, String resources, String id, String status) {
    for (int day = 0;
        day < 60 && !status.equals(simulatorStatus(organisation, resources, id));
        day++) {
      world.simulator.clock().advance(Duration.ofDays(1));
    }
    assertThat(simulatorStatus(organisation, resources, id)).as(id).isEqualTo(status);
  }

  /** The resource's status as GoCardless (the simulator) answers it now. */
  protected String simulatorStatus(
      SimulatedOrganisation organisation, String resources, String id) {
    return simulatorGet(organisation, "/" + resources + "/" + id)
        .path(resources)
        .path("status")
        .asString();
  }

  /** The mandate GoCardless created for a fulfilled billing request (the simulator's answer). */
  protected String simulatorMandateOf(SimulatedOrganisation organisation, String billingRequestId) {
    return simulatorGet(organisation, "/billing_requests/" + billingRequestId)
        .path("billing_requests")
        .path("links")
        .path("mandate_request_mandate")
        .asString();
  }

  /** A GoCardless API read at the simulator with the organisation's token. */
  protected JsonNode simulatorGet(SimulatedOrganisation organisation, String path) {
    var response =
        Http.getWithHeaders(
            world.simulator.baseUrl() + path,
            organisation.accessToken(),
            Map.of("GoCardless-Version", "2015-07-06"));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  /** The payer's side of a billing request flow, on the simulator's hosted page. */
  protected void payOnTheHostedPage(String authorisationUrl, String givenName) {
    new SimulatedPayer(givenName).complete(authorisationUrl);
  }

  /** A flow for the billing request, and the payer completing it. */
  protected void completeBillingRequest(String team, String billingRequestId, String givenName) {
    var flow =
        post(
            team,
            "/billing-request-flows",
            """
            {"billingRequestId":"%s","redirectUri":"https://%s.test/paid","exitUri":"https://%s.test/exit"}
            """
                .formatted(billingRequestId, team, team));
    assertThat(flow.status()).as(flow.body()).isEqualTo(201);
    payOnTheHostedPage(flow.json().get("authorisationUrl").asString(), givenName);
  }

  /** A mandate-only billing request completed by the payer, and the mandate active; its id. */
  protected String activeMandate(Connected merchant, String givenName) {
    var created =
        postWithKey(
            merchant.team(),
            "/billing-requests",
            UUID.randomUUID().toString(),
            """
            {"merchantId":"%s","mandateRequest":{"scheme":"bacs","currency":"GBP"}}
            """
                .formatted(merchant.merchantId()));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String billingRequestId = created.json().get("id").asString();
    completeBillingRequest(merchant.team(), billingRequestId, givenName);
    advanceUntil(
        merchant.organisation(),
        "mandates",
        simulatorMandateOf(merchant.organisation(), billingRequestId),
        "active");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !get(merchant.team(), "/billing-requests/" + billingRequestId)
                    .path("mandateId")
                    .isNull());
    String mandateId =
        get(merchant.team(), "/billing-requests/" + billingRequestId).path("mandateId").asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(merchant.team(), "/mandates/" + mandateId).equals("active"));
    return mandateId;
  }
}
